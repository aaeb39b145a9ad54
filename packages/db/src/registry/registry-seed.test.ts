import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { DICTS, TagDef, TagDefBody, TagFieldSpec, type DictTable } from '@wangge/contracts';
import { openTestDatabase } from '../testing.ts';
import { rows } from '../connection/open.ts';
import { editionOf, loadDicts, loadTagDefs, registryReference, saveTagDef, seedRegistryReference } from './registry-seed.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let dicts: DictTable[];

const dict = (name: string) => {
  const d = dicts.find((x) => x.name === name);
  if (!d) throw new Error(`no dict ${name}`);
  return d;
};
const codes = (name: string) => dict(name).items.map((i) => i.code);
const label = (name: string, code: string) => dict(name).items.find((i) => i.code === code);

/** Every row of both tables with its xmin: a reseed that rewrites a row changes its xmin even when the values are equal. */
const snapshot = async () => ({
  dicts: await rows(database.db, sql`SELECT xmin::text AS x, * FROM dict_items ORDER BY dict, code`),
  tags: await rows(database.db, sql`SELECT xmin::text AS x, * FROM tag_defs ORDER BY code`),
});

beforeAll(async () => {
  database = await openTestDatabase();
  await seedRegistryReference(database.db);
  dicts = await loadDicts(database.db);
});
afterAll(async () => {
  await database?.drop();
});

describe('code tables', () => {
  it('has every DICTS name, in DICTS order, each with items', () => {
    expect(dicts.map((d) => d.name)).toEqual([...DICTS]);
    for (const d of dicts) expect(d.items.length, d.name).toBeGreaterThan(0);
  });

  it('lists no code twice in the seed file (the database key would hide it)', () => {
    for (const d of registryReference().dicts) {
      const seen = d.items.map((i) => i.code);
      expect(new Set(seen).size, d.name).toBe(seen.length);
    }
    const names = registryReference().dicts.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every item a Chinese and a proper English label', () => {
    for (const d of dicts) {
      for (const i of d.items) {
        expect(i.labelZh.trim(), `${d.name} ${i.code}`).not.toBe('');
        expect(i.labelZh, `${d.name} ${i.code}`).toMatch(/[\u4e00-\u9fff]/);
        expect(i.labelEn.trim(), `${d.name} ${i.code}`).not.toBe('');
        expect(i.labelEn, `${d.name} ${i.code}: no Chinese in the English label`).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
      }
    }
  });

  it('points every child to an item of its own table, education to its GB/T 4658 level', () => {
    for (const d of dicts) {
      const own = new Set(d.items.map((i) => i.code));
      for (const i of d.items) if (i.parent !== null) expect(own.has(i.parent), `${d.name} ${i.code} → ${i.parent}`).toBe(true);
    }
    const edu = dict('education').items;
    expect(edu.filter((i) => i.parent === null).map((i) => i.code)).toEqual(['10', '20', '30', '40', '60', '70', '80', '90']);
    for (const i of edu.filter((x) => x.parent !== null)) expect(i.parent, i.code).toBe(i.code[0] + '0');
    expect(edu.filter((i) => i.parent === '70').map((i) => i.code)).toEqual(['71', '73']);
    expect(label('education', '21')?.labelZh).toBe('大学本科毕业');
  });

  it('holds the national codes the registry and its SQL rely on', () => {
    expect(codes('sex')).toEqual(['0', '1', '2', '9']);
    expect(label('sex', '1')).toMatchObject({ labelZh: '男', labelEn: 'Male' });
    expect(label('political', '01')?.labelZh).toBe('中国共产党党员');
    expect(label('political', '02')?.labelZh).toBe('中国共产党预备党员');
    expect(codes('political')).toHaveLength(13);
    expect(codes('ethnicity')).toHaveLength(58);
    expect(label('ethnicity', '56')?.labelZh).toBe('基诺族');
    expect(label('ethnicity', '98')?.labelZh).toBe('外国血统');
    expect(codes('id_type')).toEqual(['111', '112', '113', '414', '511', '516', '553', '990']);
    expect(label('relation', '02')?.labelZh).toBe('户主');
    expect(codes('consistency')).toEqual(['01', '02']);
    expect(codes('pop_type')).toEqual(['1', '2', '3', '4']);
    expect(label('pop_type', '2')?.labelZh).toBe('流动人口');
    expect(codes('person_status')).toEqual(['1', '2', '3']);
    expect(codes('household_kind')).toEqual(['1', '2']);
    expect(codes('house_use')).toEqual(['10', '20', '30', '40', '50', '60', '90']);
    expect(codes('org_kind')).toEqual(['1', '2', '3']);
    expect(codes('facility_class')).toEqual(['01', '02', '03', '04', '05', '06']);
    expect(codes('facility_status')).toEqual(['1', '2', '3', '4', '5']);
    expect(codes('attention')).toEqual(['1', '2', '3']);
  });

  it('names each table’s source and edition', () => {
    expect(dict('sex')).toMatchObject({ source: 'GB/T 2261.1-2003', version: '2003' });
    expect(dict('education')).toMatchObject({ source: 'GB/T 4658-2006', version: '2006' });
    expect(dict('pop_type')).toMatchObject({ source: 'local', version: 'local' });
    for (const d of dicts) expect(d.version, d.name).toBe(editionOf(d.source));
  });
});

describe('tag definitions', () => {
  it('seeds the six care objects and the six special groups with valid field specs', async () => {
    const tags = await loadTagDefs(database.db);
    expect(tags.filter((t) => t.kind === 'care').map((t) => t.code))
      .toEqual(['elderly_alone', 'disabled', 'low_income', 'entitled', 'left_behind_child', 'bedridden']);
    expect(tags.filter((t) => t.kind === 'special').map((t) => t.code)).toEqual(['released', 'correction', 'mental', 'drug', 'aids', 'youth']);
    for (const t of tags) {
      expect(() => TagDef.parse(t), t.code).not.toThrow();
      for (const f of t.fields) expect(TagFieldSpec.safeParse(f).success, `${t.code}.${f.key}`).toBe(true);
      const keys = t.fields.map((f) => f.key);
      expect(new Set(keys).size, t.code).toBe(keys.length);
      for (const f of t.fields) if (f.type === 'code') expect(f.options?.length, `${t.code}.${f.key}`).toBeGreaterThan(0);
      expect(t.visitIntervalDays, t.code).toBeGreaterThan(0);
      expect(t.active).toBe(true);
    }
    const correction = tags.find((t) => t.code === 'correction')!;
    expect(correction.fields.find((f) => f.key === 'correctionType')?.options?.map((o) => o.code)).toEqual(['01', '02', '03', '04', '05']);
    const drug = tags.find((t) => t.code === 'drug')!;
    expect(drug.fields[0]!.options!.map((o) => o.code)).toEqual(['01', '02', '03', '04', '05', '06']);
  });

  it('saves a tag definition, marked edited', async () => {
    const body = TagDefBody.parse({
      code: 'old_party_member', kind: 'care', nameZh: '老党员', nameEn: 'Long-standing party member', visitIntervalDays: 30,
      fields: [{ key: 'joinedOn', labelZh: '入党时间', labelEn: 'Joined on', type: 'date' }],
    });
    const saved = await saveTagDef(database.db, body);
    expect(saved).toMatchObject({ code: 'old_party_member', active: true, sort: 100, visitIntervalDays: 30 });
    expect(saved.fields).toEqual(body.fields);
    const [r] = await rows<{ edited: boolean }>(database.db, sql`SELECT edited FROM tag_defs WHERE code = 'old_party_member'`);
    expect(r!.edited).toBe(true);
    expect((await loadTagDefs(database.db)).map((t) => t.code)).toContain('old_party_member');
  });
});

describe('reseeding', () => {
  it('changes nothing when run again', async () => {
    const before = await snapshot();
    await seedRegistryReference(database.db);
    expect(await snapshot()).toEqual(before);
  });

  it('keeps edited rows and a city’s own rows, refreshes unedited ones, restores missing ones', async () => {
    await database.db.execute(sql`UPDATE dict_items SET label_zh = '男性', edited = true WHERE dict = 'sex' AND code = '1'`);
    await database.db.execute(sql`UPDATE dict_items SET label_zh = '女（旧）', sort = 999 WHERE dict = 'sex' AND code = '2'`);
    await database.db.execute(sql`UPDATE dict_items SET active = false WHERE dict = 'sex' AND code = '9'`);
    await database.db.execute(sql`DELETE FROM dict_items WHERE dict = 'ethnicity' AND code = '98'`);
    await database.db.execute(sql`
      INSERT INTO dict_items (dict, code, label_zh, label_en, sort, source, edited) VALUES ('relation', '21', '独生子', 'Only son', 65, 'local', true)`);
    const elderly = (await loadTagDefs(database.db)).find((t) => t.code === 'elderly_alone')!;
    await saveTagDef(database.db, TagDefBody.parse({ ...elderly, visitIntervalDays: 14 }));
    await database.db.execute(sql`UPDATE tag_defs SET name_en = 'stale' WHERE code = 'disabled'`);

    await seedRegistryReference(database.db);
    const after = await loadDicts(database.db);
    dicts = after;
    expect(label('sex', '1')?.labelZh).toBe('男性');
    expect(label('sex', '2')?.labelZh).toBe('女');
    expect(codes('sex')).toEqual(['0', '1', '2', '9']);
    expect(label('sex', '9')?.active).toBe(false);
    expect(label('ethnicity', '98')?.labelZh).toBe('外国血统');
    expect(label('relation', '21')).toMatchObject({ labelZh: '独生子', parent: null });
    expect(codes('relation').indexOf('21')).toBe(codes('relation').indexOf('20') + 1);
    expect(dict('relation').source).toBe('GB/T 4761-2008');
    const tags = await loadTagDefs(database.db);
    expect(tags.find((t) => t.code === 'elderly_alone')?.visitIntervalDays).toBe(14);
    expect(tags.find((t) => t.code === 'disabled')?.nameEn).toBe('Person with a disability');
    expect(tags.find((t) => t.code === 'old_party_member')).toBeDefined();
  });
});
