import { describe, it, expect } from 'vitest';
import { DivisionNotFoundError, findDistricts, loadDistrictTree, type DivisionNode } from './division-source.ts';

const codeLength = { province: 2, city: 4, district: 6, street: 9, community: 12 } as const;

/** Every node has the right code length, extends its parent's code and has sorted children. */
function expectWellFormed(node: DivisionNode, parentCode = '') {
  expect(node.code).toMatch(new RegExp(`^${parentCode}\\d+$`));
  expect(node.code).toHaveLength(codeLength[node.level]);
  expect(node.name.length).toBeGreaterThan(0);
  const codes = node.children.map((c) => c.code);
  expect(codes).toEqual([...codes].sort());
  expect(new Set(codes).size).toBe(codes.length);
  for (const child of node.children) expectWellFormed(child, node.code);
}

const districtOf = (tree: DivisionNode) => tree.children[0]!.children[0]!;

describe('loadDistrictTree', () => {
  it('loads 汉台区 (610702) down to its communities', async () => {
    const tree = await loadDistrictTree('610702');
    expectWellFormed(tree);
    expect(tree).toMatchObject({ code: '61', name: '陕西省', level: 'province' });
    expect(tree.children).toHaveLength(1);
    expect(tree.children[0]).toMatchObject({ code: '6107', name: '汉中市', level: 'city' });
    expect(tree.children[0]!.children).toHaveLength(1);
    const district = districtOf(tree);
    expect(district).toMatchObject({ code: '610702', name: '汉台区', level: 'district' });

    const street = district.children.find((s) => s.code === '610702002');
    expect(street).toMatchObject({ name: '东大街街道', level: 'street' });
    expect(street!.children).toHaveLength(7);
    for (const c of street!.children) {
      expect(c.code).toMatch(/^610702002\d{3}$/);
      expect(c.level).toBe('community');
      expect(c.children).toEqual([]);
    }
    expect(street!.children[0]).toMatchObject({ code: '610702002001', name: '莲湖居委会' });
  });

  it('loads 成华区 (510108): 11 streets, 83 communities', async () => {
    const tree = await loadDistrictTree('510108');
    expectWellFormed(tree);
    expect(tree.children[0]).toMatchObject({ code: '5101', name: '成都市' });
    const district = districtOf(tree);
    expect(district.name).toBe('成华区');
    expect(district.children).toHaveLength(11);
    expect(district.children[0]).toMatchObject({ code: '510108002', name: '猛追湾街道' });
    expect(district.children.reduce((n, s) => n + s.children.length, 0)).toBe(83);
  });

  it('keeps the package name "市辖区" for a municipality city level', async () => {
    const tree = await loadDistrictTree('110101');
    expect(tree).toMatchObject({ code: '11', name: '北京市' });
    expect(tree.children[0]).toMatchObject({ code: '1101', name: '市辖区' });
    expect(districtOf(tree).name).toBe('东城区');
  });

  it('rejects malformed and unknown district codes', async () => {
    for (const bad of ['abc', '999999', '61070', '6107020', '610702002', '']) {
      const error = await loadDistrictTree(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DivisionNotFoundError);
      expect(error).toBeInstanceOf(Error);
      expect((error as DivisionNotFoundError).code).toBe('area.division_not_found');
      expect((error as Error).message).toContain(bad === '' ? '""' : bad);
    }
  });
});

describe('findDistricts', () => {
  it('finds districts by name with their city and province', async () => {
    const hits = await findDistricts('汉台');
    expect(hits).toEqual([{ code: '610702', name: '汉台区', cityName: '汉中市', provinceName: '陕西省' }]);
  });

  it('puts exact name matches first and caps results at 20', async () => {
    const hits = await findDistricts('朝阳区');
    expect(hits.length).toBeGreaterThanOrEqual(2);
    expect(hits.every((h) => h.name === '朝阳区')).toBe(true);
    expect((await findDistricts('区')).length).toBe(20);
  });

  it('finds districts by code prefix and ignores blank queries', async () => {
    const hits = await findDistricts('6107');
    expect(hits.length).toBeGreaterThan(1);
    expect(hits.every((h) => h.code.startsWith('6107') && h.cityName === '汉中市')).toBe(true);
    expect(await findDistricts('   ')).toEqual([]);
  });
});
