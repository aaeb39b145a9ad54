import { sql } from 'drizzle-orm';
import type { SessionRecord, SessionsPort } from '@wangge/core';
import { preparedRows, rows, type Db } from '../connection/open.ts';
import { isoZ, toDate } from './sql-helpers.ts';
import { grantSelect, toGrant, toRecord, userSelect, type GrantRow, type UserRow } from './users.repo.ts';

interface SessionDbRow { id: string; user_id: string; kind: 'cookie' | 'bearer'; created_at: string; last_seen_at: string; revoked_at: string | null }

const sessionSelect = sql`SELECT id::text, user_id::text, kind, ${isoZ(sql`created_at`)} AS created_at, ${isoZ(sql`last_seen_at`)} AS last_seen_at,
  ${isoZ(sql`revoked_at`)} AS revoked_at FROM sessions`;

const toSession = (r: SessionDbRow): SessionRecord => ({
  id: r.id, userId: r.user_id, kind: r.kind, createdAt: new Date(r.created_at), lastSeenAt: new Date(r.last_seen_at), revokedAt: toDate(r.revoked_at),
});

export function sessionsRepo(db: Db): SessionsPort {
  return {
    async insert(s) {
      await db.execute(sql`
        INSERT INTO sessions (id, token_hash, user_id, kind, created_at, last_seen_at, ip, user_agent)
        VALUES (${s.id}::uuid, ${s.tokenHash}, ${s.userId}::uuid, ${s.kind}, ${s.createdAt.toISOString()}::timestamptz,
                ${s.lastSeenAt.toISOString()}::timestamptz, ${s.ip}, ${s.userAgent?.slice(0, 300) ?? null})`);
    },
    async findByTokenHash(tokenHash) {
      const [r] = await rows<SessionDbRow>(db, sql`${sessionSelect} WHERE token_hash = ${tokenHash}`);
      return r ? toSession(r) : null;
    },
    async findWithUser(tokenHash) {
      // One round trip per authenticated request: the session, its user and the user's grants.
      const [r] = await preparedRows<{ s: SessionDbRow; u: UserRow | null; g: GrantRow[] | null }>(db, 'session', sql`
        SELECT row_to_json(s) AS s,
               (SELECT row_to_json(x) FROM (${userSelect} WHERE u.id = s.user_id::uuid) x) AS u,
               (SELECT json_agg(x) FROM (${grantSelect} WHERE g.user_id = s.user_id::uuid ORDER BY a.depth, a.code, g.role) x) AS g
        FROM (${sessionSelect} WHERE token_hash = ${tokenHash}) s`);
      return r ? { session: toSession(r.s), user: r.u ? toRecord(r.u) : null, grants: (r.g ?? []).map(toGrant) } : null;
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
