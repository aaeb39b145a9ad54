import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { mulberry32 } from './synthetic-geometry.ts';
import type { GeoJsonPolygon, ImportNode } from '../areas/area-import.ts';

/** Plausible people and buildings for the demo grids (domain.md §9: one worker per grid, 100+ information officers). */
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥建华建国志强春梅海燕晓东小红文斌丽华淑珍国庆';
const SERVICE_ITEMS = ['政策咨询、矛盾调解、代办服务', '走访慰问、信息采集、隐患排查', '民生诉求受理、便民服务', '党建联系、志愿服务组织'];

export interface DemoStaff {
  gridCode: string;
  duty: 'grid_leader' | 'grid_worker' | 'info_officer' | 'building_head' | 'party_leader';
  name: string;
  phone: string;
  serviceItems: string;
  username?: string;
}

export interface DemoBuilding {
  gridCode: string;
  name: string;
  address: string;
  lon: number;
  lat: number;
  floors: number;
}

function grids(tree: ImportNode): { grid: ImportNode; community: ImportNode; street: ImportNode }[] {
  const out: { grid: ImportNode; community: ImportNode; street: ImportNode }[] = [];
  const walk = (n: ImportNode, street: ImportNode | null, community: ImportNode | null) => {
    if (n.level === 'grid') out.push({ grid: n, community: community!, street: street! });
    for (const c of n.children) walk(c, n.level === 'street' ? n : street, n.level === 'community' ? n : community);
  };
  walk(tree, null, null);
  return out;
}

const shortName = (name: string) => name.replace(/(社区)?(居民委员会|居委会)$/, '');

/** Deterministic staff and buildings for every grid of the demo tree. */
export function demoField(tree: ImportNode, seed: number, named: { username: string; displayName: string; duty: DemoStaff['duty']; gridCode: string }[]) {
  const rnd = mulberry32(seed);
  const pick = (s: string) => s[Math.floor(rnd() * s.length)]!;
  const personName = () => pick(SURNAMES) + pick(GIVEN) + (rnd() < 0.6 ? pick(GIVEN) : '');
  const phone = () => '1' + pick('3589') + String(Math.floor(rnd() * 1e9)).padStart(9, '0');
  const staff: DemoStaff[] = [];
  const buildings: DemoBuilding[] = [];
  for (const { grid, community, street } of grids(tree)) {
    const mine = named.filter((n) => n.gridCode === grid.code);
    const person = (duty: DemoStaff['duty']) => {
      const n = mine.find((m) => m.duty === duty);
      staff.push({ gridCode: grid.code, duty, name: n?.displayName ?? personName(), phone: phone(), serviceItems: SERVICE_ITEMS[Math.floor(rnd() * SERVICE_ITEMS.length)]!, ...(n ? { username: n.username } : {}) });
    };
    person('grid_leader');
    person('grid_worker');
    if (rnd() < 0.5) person('party_leader');
    for (let i = 0; i < 3; i++) person('info_officer');

    const poly = grid.geometry as GeoJsonPolygon;
    const ring = poly.coordinates[0]!;
    const xs = ring.map((c) => c[0]!);
    const ys = ring.map((c) => c[1]!);
    const count = 5 + Math.floor(rnd() * 5);
    const yard = `${shortName(community.name)}${['花园', '小区', '新村', '家属院'][Math.floor(rnd() * 4)]}`;
    for (let k = 1, tries = 0; k <= count && tries < 500; tries++) {
      const lon = Math.min(...xs) + rnd() * (Math.max(...xs) - Math.min(...xs));
      const lat = Math.min(...ys) + rnd() * (Math.max(...ys) - Math.min(...ys));
      if (!booleanPointInPolygon([lon, lat], poly as never, { ignoreBoundary: true })) continue;
      buildings.push({
        gridCode: grid.code, name: `${yard}${k}号楼`, address: `${street.name}${shortName(community.name)}社区${yard}${k}号楼`,
        lon: Math.round(lon * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6, floors: 3 + Math.floor(rnd() * 15),
      });
      k++;
    }
  }
  return { staff, buildings };
}
