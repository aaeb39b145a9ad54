import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { DAY, DomainError, FakeClock, GENESIS_HASH, audit, type AuditInput } from '@wangge/core';
import { openTestDatabase } from '../testing.ts';
import { rows } from '../connection/open.ts';
import { auditRepo } from './audit.repo.ts';
import { portsOn } from './store.ts';

const { verifyAuditChain, pruneAudit } = audit;

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const entry = (action: string, at: Date, diff: unknown = { n: action }): AuditInput => ({
  at, actorId: null, actorName: 'tester', action, entityType: 'test', entityId: action, areaId: null, diff, ip: '127.0.0.1', requestId: null,
});

const append = (e: AuditInput) => database.transaction((tx) => auditRepo(tx).append(e));
const verify = () => verifyAuditChain(auditRepo(database.db));
const ids = async () => (await rows<{ id: string }>(database.db, sql`SELECT id::text FROM audit_log ORDER BY id`)).map((r) => r.id);
const clear = () => database.db.execute(sql`DELETE FROM audit_log`);

describe('auditRepo', () => {
  it('appends hash-chained rows that verify', async () => {
    await clear();
    const clock = new FakeClock();
    await append(entry('test.first', clock.now()));
    for (let i = 2; i <= 5; i++) {
      clock.advance(1000);
      await append(entry(`test.row_${i}`, clock.now(), { before: { v: i - 1 }, after: { v: i, note: '东大街' } }));
    }
    expect(await verify()).toEqual({ ok: true, checked: 5, firstBrokenId: null, reason: null });

    const page = await auditRepo(database.db).page(null, 100);
    expect(page).toHaveLength(5);
    expect(page[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < page.length; i++) expect(page[i]!.prevHash).toBe(page[i - 1]!.hash);
    expect(page[0]).toMatchObject({ action: 'test.first', at: new Date('2026-03-02T02:00:00.000Z').toISOString(), actorName: 'tester' });
  });

  it('keeps the hash stable through jsonb (key order, nesting, Chinese text, numbers, null diff)', async () => {
    const clock = new FakeClock('2026-03-03T00:00:00.000Z');
    // jsonb reorders keys (shorter first) and drops duplicate whitespace: the hash must not care.
    await append(entry('test.jsonb', clock.now(), { zz: 1, a: { yy: [3, 2, { k: '名称', b: null }], x: 0.1 + 0.2 }, big: 12345678901234567 }));
    await append(entry('test.null_diff', clock.now(), null));
    await append(entry('test.undefined_diff', clock.now(), undefined));
    await append({ ...entry('test.with_ids', clock.now()), actorId: '00000000-0000-4000-8000-000000000001', areaId: '42', requestId: 'req-1' });
    const r = await verify();
    expect(r.ok).toBe(true);
    expect(r.checked).toBe(9);
  });

  it('reports the id of a row whose action was changed with raw SQL', async () => {
    const all = await ids();
    const target = all[2]!;
    const [orig] = await rows<{ action: string }>(database.db, sql`SELECT action FROM audit_log WHERE id = ${target}::bigint`);
    await database.db.execute(sql`UPDATE audit_log SET action = 'test.tampered' WHERE id = ${target}::bigint`);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.firstBrokenId).toBe(target);
    expect(r.reason).toMatch(/content/);
    expect(r.checked).toBe(2);
    // Putting the original value back repairs it: the check is about content, nothing else.
    await database.db.execute(sql`UPDATE audit_log SET action = ${orig!.action} WHERE id = ${target}::bigint`);
    expect((await verify()).ok).toBe(true);
  });

  it('reports the id of a row whose diff was changed with raw SQL', async () => {
    const all = await ids();
    const target = all[3]!;
    const [before] = await rows<{ diff: string }>(database.db, sql`SELECT diff::text AS diff FROM audit_log WHERE id = ${target}::bigint`);
    await database.db.execute(sql`UPDATE audit_log SET diff = jsonb_set(diff, '{after,v}', '999') WHERE id = ${target}::bigint`);
    const r = await verify();
    expect(r).toMatchObject({ ok: false, firstBrokenId: target });
    await database.db.execute(sql`UPDATE audit_log SET diff = ${before!.diff}::jsonb WHERE id = ${target}::bigint`);
    expect((await verify()).ok).toBe(true);
  });

  it('reports the row after a deleted one', async () => {
    const all = await ids();
    const [saved] = await rows<Record<string, unknown>>(database.db, sql`SELECT * FROM audit_log WHERE id = ${all[1]!}::bigint`);
    await database.db.execute(sql`DELETE FROM audit_log WHERE id = ${all[1]!}::bigint`);
    const r = await verify();
    expect(r).toMatchObject({ ok: false, firstBrokenId: all[2] });
    expect(r.reason).toMatch(/prev_hash/);
    // Restore it (same id) so the chain is whole again for the following tests.
    await database.db.execute(sql`
      INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity_type, entity_id, area_id, diff, ip, request_id, seq, prev_hash, hash)
      OVERRIDING SYSTEM VALUE
      SELECT id, at, actor_id, actor_name, action, entity_type, entity_id, area_id, diff, ip, request_id, seq, prev_hash, hash
      FROM jsonb_populate_record(NULL::audit_log, ${JSON.stringify(saved)}::jsonb)`);
    expect((await verify()).ok).toBe(true);
  });

  it('seals 20 concurrent appends into one chain', async () => {
    await clear();
    const clock = new FakeClock();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => database.transaction((tx) => auditRepo(tx).append(entry(`test.concurrent_${i}`, clock.now())))),
    );
    expect(await verify()).toEqual({ ok: true, checked: 20, firstBrokenId: null, reason: null });
    const chain = await auditRepo(database.db).page(null, 100);
    expect(chain).toHaveLength(20);
    expect(new Set(chain.map((r) => r.prevHash)).size).toBe(20);
    expect(new Set(chain.map((r) => r.action)).size).toBe(20);
    expect(chain.filter((r) => r.prevHash === GENESIS_HASH)).toHaveLength(1);
  });

  it('an append in a transaction that rolls back leaves no row and no gap in the chain', async () => {
    const before = (await ids()).length;
    await expect(
      database.transaction(async (tx) => {
        await auditRepo(tx).append(entry('test.rolled_back', new Date()));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await append(entry('test.after_rollback', new Date()));
    expect((await ids()).length).toBe(before + 1);
    expect((await verify()).ok).toBe(true);
  });

  it('appends unsealed rows that a seal links in, and a row committed late with a smaller id is sealed after the others', async () => {
    await clear();
    const port = auditRepo(database.db);
    const clock = new FakeClock();
    await append(entry('test.a', clock.now()));
    await append(entry('test.b', clock.now()));
    const [raw] = await rows<{ n: number; sealed: number }>(database.db, sql`SELECT count(*)::int AS n, count(seq)::int AS sealed FROM audit_log`);
    expect(raw).toEqual({ n: 2, sealed: 0 });
    expect(await port.unsealed()).toBe(2);
    expect(await audit.sealAudit(port)).toBe(2);
    expect(await port.unsealed()).toBe(0);
    expect(await port.seal(100)).toBe(0);
    // A transaction that took its id before the others but committed after them: the same row, given an id below theirs.
    const [{ lowest }] = (await rows<{ lowest: string }>(database.db, sql`SELECT (min(id) - 1)::text AS lowest FROM audit_log`)) as [{ lowest: string }];
    await database.db.execute(sql`INSERT INTO audit_log (id, at, actor_name, action, entity_type) OVERRIDING SYSTEM VALUE
      VALUES (${lowest}::bigint, now(), 'tester', 'test.late', 'test')`);
    await append(entry('test.c', clock.now()));
    expect(await verify()).toEqual({ ok: true, checked: 4, firstBrokenId: null, reason: null });
    const chain = await port.page(null, 100);
    expect(chain.map((r) => r.action)).toEqual(['test.a', 'test.b', 'test.late', 'test.c']);
    expect(chain.map((r) => r.seq)).toEqual(['1', '2', '3', '4'].map((n) => String(Number(chain[0]!.seq) + Number(n) - 1)));
    // A half-sealed row is refused by the table itself.
    await expect(database.db.execute(sql`UPDATE audit_log SET hash = NULL WHERE id = ${lowest}::bigint`)).rejects.toThrow();
  });

  it('pages in chain order after a given position', async () => {
    for (let i = 0; i < 6; i++) await append(entry(`test.page_${i}`, new Date()));
    await audit.sealAudit(auditRepo(database.db));
    const all = (await rows<{ seq: string }>(database.db, sql`SELECT l.seq::text AS seq FROM audit_log l ORDER BY l.seq`)).map((r) => r.seq);
    const port = auditRepo(database.db);
    const second = await port.page(all[4]!, 3);
    expect(second.map((r) => r.seq)).toEqual(all.slice(5, 8));
    // Page size must not change the verdict.
    expect(await verifyAuditChain(port, 3)).toEqual(await verifyAuditChain(port));
  });
});

describe('pruneAudit', () => {
  it('deletes rows past the retention period, audits the pruning and keeps the chain verifiable', async () => {
    await clear();
    const clock = new FakeClock('2026-03-02T02:00:00.000Z');
    const start = clock.now().getTime();
    // 3 rows 200 days old, 2 rows 100 days old.
    for (let i = 0; i < 3; i++) await append(entry(`test.old_${i}`, new Date(start - 200 * DAY + i * 1000)));
    for (let i = 0; i < 2; i++) await append(entry(`test.recent_${i}`, new Date(start - 100 * DAY + i * 1000)));

    const deleted = await database.transaction((tx) => pruneAudit(portsOn(tx), clock, 180));
    expect(deleted).toBe(3);

    await audit.sealAudit(auditRepo(database.db));
    const left = await auditRepo(database.db).page(null, 100);
    expect(left.map((r) => r.action)).toEqual(['test.recent_0', 'test.recent_1', 'audit.pruned']);
    const pruned = left[2]!;
    expect(pruned).toMatchObject({ actorName: 'system', entityType: 'audit', at: clock.now().toISOString() });
    expect(pruned.diff).toEqual({ deleted: 3, before: new Date(start - 180 * DAY).toISOString(), retentionDays: 180 });
    expect(left[0]!.prevHash).not.toBe(GENESIS_HASH); // anchored on a pruned row
    expect(await verify()).toEqual({ ok: true, checked: 3, firstBrokenId: null, reason: null });
  });

  it('does nothing (and writes no row) when nothing is old enough', async () => {
    const clock = new FakeClock('2026-03-02T02:00:00.000Z');
    const before = await ids();
    expect(await database.transaction((tx) => pruneAudit(portsOn(tx), clock, 365))).toBe(0);
    expect(await ids()).toEqual(before);
  });

  it('refuses a retention shorter than 180 days', async () => {
    const clock = new FakeClock();
    const before = await ids();
    const err = await database.transaction((tx) => pruneAudit(portsOn(tx), clock, 179)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('audit.retention_too_short');
    expect((err as DomainError).params).toEqual({ min: 180 });
    expect(await ids()).toEqual(before);
  });

  // `at` need not follow id order (concurrent requests read the clock before slow work): pruning must remove only a prefix of the chain.
  it('prunes only a prefix of the chain even when `at` is not in id order', async () => {
    await clear();
    const clock = new FakeClock('2026-03-02T02:00:00.000Z');
    const cutoff = clock.now().getTime() - 180 * DAY;
    await append(entry('test.old', new Date(cutoff - 60_000)));
    // Committed first, but its request started later (at just after the cutoff)…
    await append(entry('test.started_later', new Date(cutoff + 100)));
    // …than this one, which committed second with `at` just before the cutoff.
    await append(entry('test.started_earlier', new Date(cutoff - 100)));
    await append(entry('test.recent', new Date(cutoff + 60_000)));
    expect((await verify()).ok).toBe(true);

    await database.transaction((tx) => pruneAudit(portsOn(tx), clock, 180));
    expect(await verify()).toMatchObject({ ok: true, firstBrokenId: null });
  });
});
