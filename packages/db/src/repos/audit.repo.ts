import { sql, type SQL } from 'drizzle-orm';
import type { AuditEntry } from '@wangge/contracts';
import { chainHash, GENESIS_HASH, type AuditPort, type ChainedRow } from '@wangge/core';
import { rows, type Db } from '../connection/open.ts';
import { isoZ, underScope } from './sql-helpers.ts';

/** Serialises audit appends across connections and processes until the transaction ends. */
const AUDIT_CHAIN_LOCK = 727274002;

interface AuditRow {
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  area_id: string | null;
  diff: unknown;
  ip: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

const auditSelect = sql`
  SELECT l.id::text, ${isoZ(sql`l.at`)} AS at, l.actor_id::text, l.actor_name, l.action, l.entity_type, l.entity_id,
         l.area_id::text, l.diff, l.ip, l.request_id, l.prev_hash, l.hash
  FROM audit_log l`;

const toChained = (r: AuditRow): ChainedRow => ({
  id: r.id, at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, entityType: r.entity_type,
  entityId: r.entity_id, areaId: r.area_id, diff: r.diff ?? null, ip: r.ip, requestId: r.request_id,
  prevHash: r.prev_hash, hash: r.hash,
});

export function auditRepo(db: Db): AuditPort {
  return {
    async append(e) {
      // Must run inside the caller's transaction: the lock is held until it commits, so the
      // previous hash read here is the last committed one and no two rows share a predecessor.
      await db.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
      const [last] = await rows<{ hash: string }>(db, sql`SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`);
      const prevHash = last?.hash ?? GENESIS_HASH;
      const at = e.at.toISOString();
      const diff = e.diff === undefined ? null : JSON.parse(JSON.stringify(e.diff));
      const record = { ...e, at, diff };
      const hash = chainHash(prevHash, record);
      await db.execute(sql`
        INSERT INTO audit_log (at, actor_id, actor_name, action, entity_type, entity_id, area_id, diff, ip, request_id, prev_hash, hash)
        VALUES (${at}::timestamptz, ${e.actorId}::uuid, ${e.actorName}, ${e.action}, ${e.entityType}, ${e.entityId},
                ${e.areaId}::bigint, ${diff === null ? null : JSON.stringify(diff)}::jsonb, ${e.ip}, ${e.requestId}, ${prevHash}, ${hash})`);
    },

    async list(scope, f) {
      const conds: SQL[] = [
        // Rows tied to an area follow area scope; rows without one (system events) need a grant on a top-level area.
        sql`(CASE WHEN l.area_id IS NULL THEN ${scope.paths.some((p) => !p.includes('.'))}
             ELSE EXISTS (SELECT 1 FROM areas sa WHERE sa.id = l.area_id AND ${underScope(sql`sa.path`, scope)}) END)`,
      ];
      if (f.action) conds.push(sql`l.action = ${f.action}`);
      if (f.actorId) conds.push(sql`l.actor_id = ${f.actorId}::uuid`);
      if (f.entityType) conds.push(sql`l.entity_type = ${f.entityType}`);
      if (f.entityId) conds.push(sql`l.entity_id = ${f.entityId}`);
      if (f.from) conds.push(sql`l.at >= ${f.from.toISOString()}::timestamptz`);
      if (f.to) conds.push(sql`l.at < ${f.to.toISOString()}::timestamptz`);
      const list = await rows<AuditRow & { total: number }>(
        db,
        sql`SELECT x.*, count(*) OVER ()::int AS total FROM (${auditSelect} WHERE ${sql.join(conds, sql` AND `)}) x
            ORDER BY x.id::bigint DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
      );
      const items: AuditEntry[] = list.map((r) => {
        const { prevHash: _p, hash: _h, ...entry } = toChained(r);
        return entry;
      });
      return { items, total: list[0]?.total ?? 0 };
    },

    async page(afterId, limit) {
      const list = await rows<AuditRow>(
        db,
        sql`${auditSelect} ${afterId ? sql`WHERE l.id > ${afterId}::bigint` : sql``} ORDER BY l.id LIMIT ${limit}`,
      );
      return list.map(toChained);
    },

    async pruneBefore(cutoff) {
      await db.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
      const r = await rows<{ n: number }>(
        db,
        // Only a prefix of the chain may go: rows from two servers' clocks need not be in `at`
        // order, and deleting from the middle would break the chain. So delete the rows before
        // the first one that is still inside the retention period.
        sql`WITH keep AS (SELECT min(id) AS first_kept FROM audit_log WHERE at >= ${cutoff.toISOString()}::timestamptz),
                 d AS (DELETE FROM audit_log WHERE id < COALESCE((SELECT first_kept FROM keep), (SELECT max(id) + 1 FROM audit_log)) RETURNING 1)
            SELECT count(*)::int AS n FROM d`,
      );
      return r[0]?.n ?? 0;
    },
  };
}
