import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { FakeClock, HOUR } from '@wangge/core';
import { rows, type ClaimedJob } from '@wangge/db';
import { openTestDatabase } from '@wangge/db/testing';
import { housekeepingHandlers } from './jobs.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const job: ClaimedJob = { id: '1', type: 'attachments.cleanup', payload: {}, attempts: 1, maxAttempts: 5, runAt: '' };

describe('housekeeping: attachments.cleanup', () => {
  it('deletes uploads never linked to a case once they are older than ATTACHMENT_UNLINKED_HOURS, and keeps newer ones', async () => {
    const clock = new FakeClock('2026-03-02T02:00:00.000Z');
    const now = clock.now();
    const upload = async (hoursAgo: number) => (await rows<{ id: string }>(database.db, sql`
      INSERT INTO attachments (kind, mime, size, data, created_at)
      VALUES ('image', 'image/jpeg', 3, '\\x010203'::bytea, ${new Date(now.getTime() - hoursAgo * HOUR).toISOString()}::timestamptz) RETURNING id::text`))[0]!.id;
    const old = await upload(30);
    const fresh = await upload(2);
    const handlers = housekeepingHandlers(clock, { AUDIT_RETENTION_DAYS: 180, ATTACHMENT_UNLINKED_HOURS: 24 });
    await database.transaction((db) => handlers['attachments.cleanup']!(job, { db, database, now }));
    const left = (await rows<{ id: string }>(database.db, sql`SELECT id::text FROM attachments ORDER BY created_at`)).map((r) => r.id);
    expect(left).toEqual([fresh]);
    expect(left).not.toContain(old);
  });
});
