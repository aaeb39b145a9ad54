import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../testing.ts';
import { rows } from '../connection/open.ts';
import { asBuffer, attachmentsRepo } from './attachments.repo.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let repo: ReturnType<typeof attachmentsRepo>;
let districtId: string;
// No clock from @wangge/core: this file tests the repository alone.
let at = new Date('2026-03-02T02:00:00.000Z');
const alice = randomUUID();
const bob = randomUUID();

/** Every byte value, a NUL run and some noise: what a text round trip would break. */
const awkwardBytes = () => Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.alloc(64), randomBytes(4096)]);

/** The least a case row needs for the foreign key: one area, one category, one case. */
async function newCase(): Promise<string> {
  const [c] = await rows<{ id: string }>(database.db, sql`
    INSERT INTO cases (no, district_id, source, category_id, priority, description, state, state_kind, area_path, owner_area_id, owner_path, reported_at, updated_at)
    SELECT ${'WG' + randomBytes(6).toString('hex')}, a.id, 'grid_worker', cat.id, 'normal', '测试事件', 'reported', 'open', a.path, a.id, a.path, now(), now()
    FROM areas a, case_categories cat WHERE a.id = ${districtId}::bigint AND cat.code = 'test' RETURNING id::text`);
  return c!.id;
}

const insert = (over: Partial<Parameters<typeof repo.insert>[0]> = {}) =>
  repo.insert({ kind: 'image', mime: 'image/jpeg', size: 10, width: 4, height: 3, data: Buffer.from('data'), thumb: Buffer.from('thumb'), uploadedBy: alice, at, ...over });

beforeAll(async () => {
  database = await openTestDatabase();
  repo = attachmentsRepo(database.db);
  const [a] = await rows<{ id: string }>(database.db, sql`
    WITH n AS (SELECT nextval(pg_get_serial_sequence('areas', 'id')) AS id)
    INSERT INTO areas (id, parent_id, path, depth, level, code, name_zh)
    OVERRIDING SYSTEM VALUE SELECT n.id, NULL, n.id::text::ltree, 0, 'district', '990101', '测试区' FROM n RETURNING id::text`);
  districtId = a!.id;
  await database.db.execute(sql`UPDATE areas SET district_id = id WHERE id = ${districtId}::bigint`);
  await database.db.execute(sql`INSERT INTO case_categories (code, level, name_zh, limit_unit, limits, created_at, updated_at)
    VALUES ('test', 1, '测试', 'hours', '{}'::jsonb, now(), now())`);
});
afterAll(async () => {
  await database?.drop();
});

describe('attachmentsRepo', () => {
  it('stores the bytes and the thumbnail and gives them back unchanged, as Buffers', async () => {
    const data = awkwardBytes();
    const thumb = randomBytes(777);
    const id = await insert({ data, thumb, size: data.length });
    const file = await repo.content(id, 'data');
    expect(file!.mime).toBe('image/jpeg');
    expect(Buffer.isBuffer(file!.bytes)).toBe(true);
    expect(file!.bytes.equals(data)).toBe(true);
    const small = await repo.content(id, 'thumb');
    expect(small!.mime).toBe('image/jpeg');
    expect(Buffer.isBuffer(small!.bytes)).toBe(true);
    expect(small!.bytes.equals(thumb)).toBe(true);
    // What PostgreSQL holds is the bytes, not their text: length and a digest computed in SQL agree.
    const [raw] = await rows<{ n: number; md5: string }>(database.db, sql`SELECT octet_length(data) AS n, md5(data) AS md5 FROM attachments WHERE id = ${id}::uuid`);
    expect(raw!.n).toBe(data.length);
    expect(raw!.md5).toBe((await import('node:crypto')).createHash('md5').update(data).digest('hex'));
  });

  it('round-trips a file of several megabytes', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const id = await insert({ kind: 'audio', mime: 'audio/ogg', data, thumb: null, size: data.length, width: null, height: null });
    expect((await repo.content(id, 'data'))!.bytes.equals(data)).toBe(true);
  });

  it('has no thumbnail for a voice note', async () => {
    const id = await insert({ kind: 'audio', mime: 'audio/mp4', thumb: null, width: null, height: null });
    expect(await repo.content(id, 'thumb')).toBeNull();
    expect((await repo.content(id, 'data'))!.mime).toBe('audio/mp4');
  });

  it('finds a row without its bytes, and answers null for unknown or malformed ids', async () => {
    at = new Date(at.getTime() + 1000);
    const id = await insert({ size: 1234, width: 1600, height: 1200 });
    expect(await repo.find(id)).toEqual({
      id, caseId: null, eventSeq: null, kind: 'image', mime: 'image/jpeg', size: 1234, width: 1600, height: 1200, uploadedBy: alice, createdAt: at,
    });
    expect(await repo.find(randomUUID())).toBeNull();
    expect(await repo.find('not-a-uuid')).toBeNull();
    expect(await repo.content(randomUUID(), 'data')).toBeNull();
    expect(await repo.content('1 OR 1=1', 'data')).toBeNull();
  });

  it('finds several by id and leaves unknown ids out', async () => {
    const a = await insert();
    const b = await insert();
    const found = await repo.findMany([a, randomUUID(), b, a, 'junk']);
    expect(found.map((r) => r.id).sort()).toEqual([a, b].sort());
    expect(await repo.findMany([])).toEqual([]);
  });

  it('links only the uploader’s own unlinked files to a case step', async () => {
    const caseA = await newCase();
    const caseB = await newCase();
    const mine1 = await insert();
    const mine2 = await insert({ kind: 'audio', mime: 'audio/ogg', thumb: null });
    const bobs = await insert({ uploadedBy: bob });
    const anonymous = await insert({ uploadedBy: null });

    expect(await repo.link([mine1, bobs, anonymous, randomUUID()], caseA, 1, districtId, alice)).toBe(1);
    expect(await repo.find(bobs)).toMatchObject({ caseId: null, eventSeq: null });
    expect(await repo.find(anonymous)).toMatchObject({ caseId: null });
    expect(await repo.find(mine1)).toMatchObject({ caseId: caseA, eventSeq: 1 });

    // Already linked: neither the uploader nor anyone else can move it to another case.
    expect(await repo.link([mine1], caseB, 1, districtId, alice)).toBe(0);
    expect(await repo.find(mine1)).toMatchObject({ caseId: caseA, eventSeq: 1 });

    expect(await repo.link([mine2], caseA, 3, districtId, alice)).toBe(1);
    expect(await repo.link([], caseA, 4, districtId, alice)).toBe(0);
    expect(await repo.link([bobs], caseB, 2, null, bob)).toBe(1);

    const [raw] = await rows<{ district_id: string }>(database.db, sql`SELECT district_id::text FROM attachments WHERE id = ${mine1}::uuid`);
    expect(raw!.district_id).toBe(districtId);
    expect((await repo.ofCase(caseA)).map((r) => [r.id, r.eventSeq])).toEqual([[mine1, 1], [mine2, 3]]);
    expect((await repo.ofCase(caseB)).map((r) => r.id)).toEqual([bobs]);
    expect(await repo.ofCase(randomUUID())).toEqual([]);
  });

  it('normalises every form a bytea can arrive in', () => {
    const u8 = new Uint8Array([0, 1, 254, 255]);
    expect(asBuffer(u8).equals(Buffer.from([0, 1, 254, 255]))).toBe(true);
    expect(asBuffer(u8.subarray(1, 3)).equals(Buffer.from([1, 254]))).toBe(true);
    expect(asBuffer('\\x00ff').equals(Buffer.from([0, 255]))).toBe(true);
    expect(() => asBuffer(42)).toThrow();
  });
});
