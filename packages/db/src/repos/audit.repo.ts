import { sql, type SQL } from 'drizzle-orm';
import type { AuditEntry } from '@wangge/contracts';
import { chainHash, GENESIS_HASH, type AuditInput, type AuditPort, type AuditRecord, type ChainedRow } from '@wangge/core';
import { rows, type Db } from '../connection/open.ts';
import { isoZ, underScope } from './sql-helpers.ts';

/** Serialises sealing (and pruning) across connections and processes until the transaction ends; appends never take it. */
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
  seq: string | null;
  prev_hash: string | null;
  hash: string | null;
}

const auditSelect = sql`
  SELECT l.id::text, ${isoZ(sql`l.at`)} AS at, l.actor_id::text, l.actor_name, l.action, l.entity_type, l.entity_id,
         l.area_id::text, l.diff, l.ip, l.request_id, l.seq::text, l.prev_hash, l.hash
  FROM audit_log l`;

const toRecord = (r: AuditRow): AuditRecord => ({
  id: r.id, at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, entityType: r.entity_type,
  entityId: r.entity_id, areaId: r.area_id, diff: r.diff ?? null, ip: r.ip, requestId: r.request_id,
});

/** Sealed rows only (the query says `seq IS NOT NULL`). */
const toChained = (r: AuditRow): ChainedRow => ({ ...toRecord(r), seq: r.seq!, prevHash: r.prev_hash!, hash: r.hash! });

/**
 * The INSERT of one audit row, unsealed: no lock, no read of the chain; the sealer links it once it
 * is committed (ADR 0005). For `append` and for statements that write a change and its audit row at once.
 */
export function auditInsertSql(e: AuditInput): SQL {
  const diff = e.diff === undefined || e.diff === null ? null : JSON.stringify(e.diff);
  return sql`
    INSERT INTO audit_log (at, actor_id, actor_name, action, entity_type, entity_id, area_id, diff, ip, request_id)
    VALUES (${e.at.toISOString()}::timestamptz, ${e.actorId}::uuid, ${e.actorName}, ${e.action}, ${e.entityType}, ${e.entityId},
            ${e.areaId}::bigint, ${diff}::jsonb, ${e.ip}, ${e.requestId})`;
}

export function auditRepo(db: Db): AuditPort {
  return {
    async append(e) {
      await db.execute(auditInsertSql(e));
    },

    async seal(limit) {
      return db.transaction(async (tx) => {
        // One sealer at a time, whichever server it runs in; it sees only committed rows, so a row
        // whose transaction commits later (even with a smaller id) is sealed by a later call.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
        const [last] = await rows<{ seq: string; hash: string }>(tx as unknown as Db,
          sql`SELECT l.seq::text AS seq, l.hash FROM audit_log l WHERE l.seq IS NOT NULL ORDER BY l.seq DESC LIMIT 1`);
        const pending = await rows<AuditRow>(tx as unknown as Db, sql`${auditSelect} WHERE l.seq IS NULL ORDER BY l.id LIMIT ${limit}`);
        if (pending.length === 0) return 0;
        let prevHash = last?.hash ?? GENESIS_HASH;
        let seq = BigInt(last?.seq ?? '0');
        const links = pending.map((r) => {
          // The hash covers the row as stored (jsonb's own key order and numbers), as verification reads it.
          const hash = chainHash(prevHash, toRecord(r));
          const link = { id: r.id, seq: String(++seq), prev_hash: prevHash, hash };
          prevHash = hash;
          return link;
        });
        await tx.execute(sql`
          UPDATE audit_log l SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
          FROM json_to_recordset(${JSON.stringify(links)}::json) AS v(id bigint, seq bigint, prev_hash text, hash text)
          WHERE l.id = v.id AND l.seq IS NULL`);
        return pending.length;
      });
    },

    async unsealed() {
      const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL`);
      return r?.n ?? 0;
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

    async page(afterSeq, limit) {
      const list = await rows<AuditRow>(
        db,
        sql`${auditSelect} WHERE l.seq IS NOT NULL ${afterSeq ? sql`AND l.seq > ${afterSeq}::bigint` : sql``} ORDER BY l.seq LIMIT ${limit}`,
      );
      return list.map(toChained);
    },

    async pruneBefore(cutoff) {
      await db.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
      const r = await rows<{ n: number }>(
        db,
        // Only a prefix of the chain may go: rows from two servers' clocks need not be in `at`
        // order, and deleting from the middle would break the chain. So delete the sealed rows
        // before the first one that is still inside the retention period; unsealed rows stay.
        sql`WITH keep AS (SELECT min(seq) AS first_kept FROM audit_log WHERE seq IS NOT NULL AND at >= ${cutoff.toISOString()}::timestamptz),
                 d AS (DELETE FROM audit_log WHERE seq < COALESCE((SELECT first_kept FROM keep), (SELECT max(seq) + 1 FROM audit_log)) RETURNING 1)
            SELECT count(*)::int AS n FROM d`,
      );
      return r[0]?.n ?? 0;
    },
  };
}
