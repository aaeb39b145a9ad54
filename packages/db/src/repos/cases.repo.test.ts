import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { FakeClock, type CasesPort, type PasswordHasher, type ReportWrite } from '@wangge/core';
import { openTestDatabase } from '../testing.ts';
import { rows } from '../connection/open.ts';
import { FieldCrypto } from '../crypto/field-crypto.ts';
import { loadDemo } from '../demo/demo.ts';
import { casesRepo } from './cases.repo.ts';

const hasher: PasswordHasher = { hash: async (p) => 'h:' + p, verify: async (h, p) => h === 'h:' + p };
const crypto = new FieldCrypto(randomBytes(32));
const clock = new FakeClock('2026-03-02T02:00:00.000Z');

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let repo: CasesPort;
let grid: { id: string; path: string; district_id: string; code: string };
let category: string;

const count = async (table: string) => (await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`))[0]!.n;

beforeAll(async () => {
  database = await openTestDatabase();
  await loadDemo(database, { hasher, clock, crypto });
  repo = casesRepo(database.db, crypto);
  [grid] = (await rows<typeof grid>(database.db, sql`
    SELECT id::text, path::text, district_id::text, code FROM areas WHERE level = 'grid' AND retired_at IS NULL ORDER BY code LIMIT 1`)) as [typeof grid];
  category = (await rows<{ id: string }>(database.db, sql`SELECT id::text FROM case_categories WHERE code = 'SJ0102'`))[0]!.id;
  await database.db.execute(sql`
    INSERT INTO webhooks (name, url, secret_enc, events, active, created_at)
    VALUES ('hook', 'http://127.0.0.1:9/h', ${crypto.encrypt('s3cret-s3cret')}, '["case.created"]'::jsonb, true, now())`);
});
afterAll(async () => {
  await database?.drop();
});

function report(no: string, phone: string | null = '13800138000'): ReportWrite {
  const id = randomUUID();
  const at = clock.now();
  return {
    case: {
      id, no, districtId: grid.district_id, source: 'hotline', categoryId: category, priority: 'normal', description: '路边垃圾', state: 'reported', closingKind: null,
      gridId: grid.id, gridPinned: false, areaPath: grid.path, ownerAreaId: grid.id, ownerPath: grid.path, unitId: null, route: null, lon: null, lat: null,
      address: '东大街 1 号', buildingId: null, reporterName: '张伟', reporterPhone: phone, reporterUserId: null, trackingHash: 'th', extra: {}, reportedBy: null,
      reportedAt: at, closedAt: null,
    },
    event: { action: 'report', fromState: null, toState: 'reported', actorId: null, actorName: '坐席', at, note: null, data: { source: 'hotline' } },
    audit: { at, actorId: null, actorName: 'desk', action: 'case.report', entityType: 'case', entityId: id, areaId: grid.id, diff: { after: { no } }, ip: null, requestId: null },
    emit: { event: 'case.created', payload: { id, no } },
    sms: phone ? { phone, text: `编号 ${no}`, uniqueRef: `intake:${id}` } : null,
    at,
  };
}

describe('casesRepo.insertReported (one statement)', () => {
  it('writes the case, its first trace step, its audit row, the outbox row with a job per subscribed webhook, and the SMS job', async () => {
    const before = { events: await count('case_events'), audit: await count('audit_log'), outbox: await count('outbox'), jobs: await count('jobs') };
    const w = report('WG20260302900001');
    const { row, item } = await repo.insertReported(w);
    expect(row).toEqual(await repo.find(w.case.id));
    expect(item).toEqual(await repo.listItem(w.case.id));
    expect(row).toMatchObject({ no: 'WG20260302900001', state: 'reported', version: 1, reporterPhoneMasked: '138****8000' });
    expect(await repo.events(w.case.id)).toMatchObject([{ seq: 1, action: 'report', toState: 'reported' }]);
    expect(await repo.reporterPhone(w.case.id)).toBe('13800138000');
    expect(await count('case_events')).toBe(before.events + 1);
    expect(await count('audit_log')).toBe(before.audit + 1);
    expect(await count('outbox')).toBe(before.outbox + 1);
    const jobs = await rows<{ type: string; payload: Record<string, string> }>(database.db, sql`SELECT type, payload FROM jobs ORDER BY id DESC LIMIT 2`);
    expect(await count('jobs')).toBe(before.jobs + 2);
    expect(jobs.map((j) => j.type).sort()).toEqual(['sms.send', 'webhook.deliver']);
    // The SMS job holds the number and text encrypted.
    const sms = jobs.find((j) => j.type === 'sms.send')!;
    expect(crypto.decrypt(sms.payload.phoneEnc!)).toBe('13800138000');
    expect(JSON.stringify(sms.payload)).not.toContain('13800138000');
  });

  it('writes nothing at all when one part fails (a case number taken already)', async () => {
    const before = { cases: await count('cases'), events: await count('case_events'), audit: await count('audit_log'), outbox: await count('outbox'), jobs: await count('jobs') };
    await expect(repo.insertReported(report('WG20260302900001'))).rejects.toThrow();
    expect({ cases: await count('cases'), events: await count('case_events'), audit: await count('audit_log'), outbox: await count('outbox'), jobs: await count('jobs') }).toEqual(before);
  });

  it('writes no SMS job without a phone', async () => {
    const jobs = await count('jobs');
    await repo.insertReported(report('WG20260302900002', null));
    expect(await count('jobs')).toBe(jobs + 1); // the webhook delivery only
  });

  it('reserves distinct case numbers from the sequence in a block', async () => {
    const a = await repo.reserveCaseNumbers(5);
    const b = await repo.reserveCaseNumbers(3);
    expect(a).toHaveLength(5);
    expect(new Set([...a, ...b]).size).toBe(8);
    expect(Number(b[0])).toBeGreaterThan(Number(a[4]));
  });
});

describe('casesRepo.referenceStamp', () => {
  it('changes when categories, routing rules, handling units or areas change, and only then', async () => {
    const s0 = await repo.referenceStamp();
    await repo.insertReported(report('WG20260302900003'));
    expect(await repo.referenceStamp()).toEqual(s0);
    const changes = [
      sql`UPDATE case_categories SET name_en = coalesce(name_en, '') WHERE code = 'SJ0102'`,
      sql`UPDATE routing_rules SET name = name WHERE false`,
      sql`UPDATE handling_units SET name_zh = name_zh WHERE id = (SELECT id FROM handling_units LIMIT 1)`,
      sql`UPDATE areas SET name_zh = name_zh WHERE id = ${grid.id}::bigint`,
    ];
    let last = s0.config;
    for (const change of changes) {
      await database.db.execute(change);
      const s = await repo.referenceStamp();
      expect(s.config).not.toBe(last);
      expect(s.calendar).toBe(s0.calendar);
      last = s.config;
    }
  });

  it('carries the calendar stamp and the grid epoch', async () => {
    const s0 = await repo.referenceStamp();
    expect(s0.calendar).toBe(await repo.calendarStamp());
    clock.advance(1000);
    await repo.setCalendarDay({ date: '2026-03-07', workday: true, name: '测试调休' }, 'tester', clock.now());
    const s1 = await repo.referenceStamp();
    expect(s1.calendar).not.toBe(s0.calendar);
    expect(s1.calendar).toBe(await repo.calendarStamp());
    // Any change to the table moves it, a delete too (it leaves no newer updated_at behind).
    await database.db.execute(sql`DELETE FROM calendar_days WHERE day = '2026-03-07'`);
    expect((await repo.referenceStamp()).calendar).not.toBe(s1.calendar);
    await database.db.execute(sql`UPDATE grid_epoch SET epoch = epoch + 1 WHERE id = 1`);
    expect((await repo.referenceStamp()).grids).toBe(s1.grids + 1);
  });
});

describe('a case and its building', () => {
  it('keeps its address and point when the building is deleted; only the link goes', async () => {
    const [b] = await rows<{ id: string }>(database.db, sql`SELECT id::text FROM buildings WHERE grid_id = ${grid.id}::bigint LIMIT 1`);
    const w = report('WG20260302900010', null);
    w.case.buildingId = b!.id;
    w.case.lon = 108.95;
    w.case.lat = 34.27;
    await repo.insertReported(w);
    await database.db.execute(sql`DELETE FROM buildings WHERE id = ${b!.id}::uuid`);
    expect(await repo.find(w.case.id)).toMatchObject({ buildingId: null, address: '东大街 1 号', lon: 108.95, lat: 34.27 });
  });
});
