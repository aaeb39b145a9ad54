import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * The audit trail (留痕). Rows are hash-chained: `hash` = SHA-256(prev_hash ‖ canonical row), so
 * editing, deleting or reordering a row is detected by `wangge audit verify`.
 * A row is appended unsealed (seq, prev_hash and hash NULL) in the transaction of the change it
 * records, and sealed into the chain shortly after by the sealer (ADR 0005, audit.repo.ts `seal`);
 * `seq` is its place in the chain.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    areaId: bigint('area_id', { mode: 'number' }),
    diff: jsonb('diff'),
    ip: text('ip'),
    requestId: text('request_id'),
    seq: bigint('seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    check('audit_sealed_whole', sql`(${t.seq} IS NULL) = (${t.hash} IS NULL) AND (${t.hash} IS NULL) = (${t.prevHash} IS NULL)`),
    uniqueIndex('audit_seq_idx').on(t.seq),
    index('audit_unsealed_idx').on(t.id).where(sql`${t.seq} IS NULL`),
    index('audit_at_idx').on(t.at),
    index('audit_entity_idx').on(t.entityType, t.entityId),
    index('audit_actor_idx').on(t.actorId),
    index('audit_area_idx').on(t.areaId),
  ],
);
