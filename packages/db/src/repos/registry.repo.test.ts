import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { FakeClock, nameGrams, pinyinInitials, type PasswordHasher, type Values } from '@wangge/core';
import { openTestDatabase } from '../testing.ts';
import { rows } from '../connection/open.ts';
import { FieldCrypto } from '../crypto/field-crypto.ts';
import { loadDemo } from '../demo/demo.ts';
import { arrayElement, registryRepo } from './registry.repo.ts';

const hasher: PasswordHasher = { hash: async (p) => 'h:' + p, verify: async (h, p) => h === 'h:' + p };
const crypto = new FieldCrypto(randomBytes(32));
const clock = new FakeClock('2026-03-02T02:00:00.000Z');

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let grid: { id: string; district_id: string };

beforeAll(async () => {
  database = await openTestDatabase();
  await loadDemo(database, { hasher, clock, crypto });
  [grid] = (await rows<typeof grid>(database.db, sql`
    SELECT id::text, district_id::text FROM areas WHERE level = 'grid' AND retired_at IS NULL ORDER BY code LIMIT 1`)) as [typeof grid];
});
afterAll(async () => {
  await database?.drop();
});

interface Stored {
  name: string | null; name_grams: string[]; name_py: string; current_address: string | null; address_grams: string[];
  id_no_enc: string | null; id_no_bidx: string | null; id_no_masked: string | null; occupation: string | null; birth_date: string | null;
}

describe('registryRepo.insert (one array literal per column)', () => {
  // Every value that changes how an element of an array literal must be written: quotes, backslashes,
  // braces, commas, the word NULL in any case, spaces at the ends and inside, an empty string, rare characters.
  const awkward: Values[] = [
    { name: 'NULL', currentAddress: 'null 路 1 号', occupation: 'Null' },
    { name: '王"小"明', currentAddress: 'a\\b "c" {d}, e', occupation: '\\' },
    { name: '李 四', currentAddress: ' 前后有空格 ', occupation: '' },
    { name: '𠮷野家', currentAddress: '{}', occupation: ',' },
    { name: '张伟', currentAddress: null, idNo: '610702199001011234', birthDate: '1990-01-01' },
    { name: '赵六' },
  ];

  it('stores each value, its grams and pinyin exactly as given, with nothing lost in the literal', async () => {
    const ids = await database.transaction((tx) => registryRepo(tx, crypto).insert('persons', awkward.map((values) => ({ gridId: grid.id, districtId: grid.district_id, values })), clock.now(), null));
    expect(ids).toHaveLength(awkward.length);
    const got = await rows<Stored & { id: string }>(database.db, sql`SELECT id::text, name, name_grams, name_py, current_address, address_grams, id_no_enc, id_no_bidx, id_no_masked,
      occupation, birth_date::text FROM persons WHERE id = ANY(${'{' + ids.join(',') + '}'}::uuid[])`);
    const byId = new Map(got.map((r) => [r.id, r]));
    awkward.forEach((v, i) => {
      const r = byId.get(ids[i]!)!;
      expect(r.name).toBe(v.name);
      expect(r.name_grams).toEqual(nameGrams(String(v.name)));
      expect(r.name_py).toBe(pinyinInitials(String(v.name)));
      expect(r.current_address).toBe(v.currentAddress ?? null);
      expect(r.address_grams).toEqual(nameGrams(String(v.currentAddress ?? '')));
      expect(r.occupation).toBe(v.occupation ?? null);
      expect(r.birth_date).toBe(v.birthDate ?? null);
      if (v.idNo) {
        expect(crypto.decrypt(r.id_no_enc!)).toBe(v.idNo);
        expect(r.id_no_bidx).toBe(crypto.blindIndex(String(v.idNo)));
        expect(r.id_no_masked).toBe('6107**********1234');
      } else expect([r.id_no_enc, r.id_no_bidx, r.id_no_masked]).toEqual([null, null, null]);
    });
    // The awkward grams are really there: a literal that dropped the quotes would have trimmed or split them.
    expect(byId.get(ids[2]!)!.name_grams).toContain('李 ');
    expect(byId.get(ids[1]!)!.name_grams).toContain('"小');
    expect(byId.get(ids[1]!)!.address_grams).toEqual(expect.arrayContaining(['\\', '\\b', '{', '}', ',', ', ']));
    expect(byId.get(ids[0]!)!.occupation).toBe('Null');
  });
});

describe('arrayElement (one element of an array literal)', () => {
  // Every element PostgreSQL's array input treats specially, alone and inside a nested array.
  const awkward = ['', 'NULL', 'null', 'NuLl', ' ', ' a', 'a ', 'a b', '\t', '\n', '\u3000', '\u00a0', ',', '{', '}', '{}', '"', '\\', '\\"', 'a,b', '[1:1]={x}', '𠮷', 'é', '张伟', '"{\\,}"'];

  it('reads back each value exactly, as text and as an array of text', async () => {
    const literal = '{' + awkward.map(arrayElement).join(',') + '}';
    const back = await rows<{ v: string | null }>(database.db, sql`SELECT v FROM unnest(${literal}::text[]) WITH ORDINALITY AS u(v, n) ORDER BY n`);
    expect(back.map((r) => r.v)).toEqual(awkward);

    const arrays = [awkward, [], ['NULL', ''], [' x ', '{"}'], ['伟', '张', '张伟']];
    const nested = '{' + [...arrays.map(arrayElement), arrayElement(null)].join(',') + '}';
    const got = await rows<{ v: string[] | null }>(database.db, sql`SELECT v::text[] AS v FROM unnest(${nested}::text[]) WITH ORDINALITY AS u(v, n) ORDER BY n`);
    expect(got.map((r) => r.v)).toEqual([...arrays, null]);
  });
});
