import { sql } from 'drizzle-orm';
import type { SessionsPort } from '@wangge/core';
import { rows, type Db } from '../connection/open.ts';
import { isoZ, toDate } from './sql-helpers.ts';

export function sessionsRepo(db: Db): SessionsPort {
  return {
    async insert(s) {
      await db.execute(sql`
        INSERT INTO sessions (id, token_hash, user_id, kind, created_at, last_seen_at, ip, user_agent)
        VALUES (${s.id}::uuid, ${s.tokenHash}, ${s.userId}::uuid, ${s.kind}, ${s.createdAt.toISOString()}::timestamptz,
                ${s.lastSeenAt.toISOString()}::timestamptz, ${s.ip}, ${s.userAgent?.slice(0, 300) ?? null})`);
    },
    async findByTokenHash(tokenHash) {
      const [r] = await rows<{ id: string; user_id: string; kind: 'cookie' | 'bearer'; created_at: string; last_seen_at: string; revoked_at: string | null }>(
        db,
        sql`SELECT id::text, user_id::text, kind, ${isoZ(sql`created_at`)} AS created_at, ${isoZ(sql`last_seen_at`)} AS last_seen_at,
                   ${isoZ(sql`revoked_at`)} AS revoked_at
            FROM sessions WHERE token_hash = ${tokenHash}`,
      );
      return r
        ? { id: r.id, userId: r.user_id, kind: r.kind, createdAt: new Date(r.created_at), lastSeenAt: new Date(r.last_seen_at), revokedAt: toDate(r.revoked_at) }
        : null;
    },
    async touch(id, at) {
      await db.execute(sql`UPDATE sessions SET last_seen_at = ${at.toISOString()}::timestamptz WHERE id = ${id}::uuid`);
    },
    async revoke(id, at) {
      await db.execute(sql`UPDATE sessions SET revoked_at = ${at.toISOString()}::timestamptz WHERE id = ${id}::uuid AND revoked_at IS NULL`);
    },
    async revokeAllForUser(userId, at, exceptId) {
      await db.execute(sql`
        UPDATE sessions SET revoked_at = ${at.toISOString()}::timestamptz
        WHERE user_id = ${userId}::uuid AND revoked_at IS NULL ${exceptId ? sql`AND id <> ${exceptId}::uuid` : sql``}`);
    },
  };
}
