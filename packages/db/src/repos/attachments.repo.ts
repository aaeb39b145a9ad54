import { sql } from 'drizzle-orm';
import type { AttachmentRow, AttachmentsPort } from '@wangge/core';
import { rows, type Db } from '../connection/open.ts';
import { inList, isoZ } from './sql-helpers.ts';

interface AttachmentDbRow {
  id: string; case_id: string | null; event_seq: number | null; kind: AttachmentRow['kind']; mime: string; size: number;
  width: number | null; height: number | null; uploaded_by: string | null; created_at: string;
}

/** Never selects the bytes: rows are listed often, the bytes are fetched one file at a time by `content`. */
const attachmentSelect = sql`SELECT id::text, case_id::text, event_seq, kind, mime, size, width, height, uploaded_by::text,
  ${isoZ(sql`created_at`)} AS created_at FROM attachments`;

const toRow = (r: AttachmentDbRow): AttachmentRow => ({
  id: r.id, caseId: r.case_id, eventSeq: r.event_seq, kind: r.kind, mime: r.mime, size: r.size, width: r.width, height: r.height,
  uploadedBy: r.uploaded_by, createdAt: new Date(r.created_at),
});

/** Thumbnails are always JPEG (see apps/server/src/media/media.ts), so the table keeps no second mime. */
const THUMB_MIME = 'image/jpeg';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * bytea as a Buffer on both engines: node-postgres gives a Buffer, PGlite a Uint8Array (and one
 * that crossed the worker boundary by structured clone). A view, not a copy.
 */
export function asBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  // A text-mode bytea ('\x…'), should a driver ever hand one over.
  if (typeof v === 'string' && v.startsWith('\\x')) return Buffer.from(v.slice(2), 'hex');
  throw new Error(`unexpected bytea value of type ${typeof v}`);
}

export function attachmentsRepo(db: Db): AttachmentsPort {
  return {
    async insert(a) {
      const [r] = await rows<{ id: string }>(db, sql`
        INSERT INTO attachments (kind, mime, size, width, height, data, thumb, uploaded_by, created_at)
        VALUES (${a.kind}, ${a.mime}, ${a.size}, ${a.width}, ${a.height}, ${a.data}::bytea, ${a.thumb}::bytea, ${a.uploadedBy}::uuid,
                ${a.at.toISOString()}::timestamptz)
        RETURNING id::text`);
      return r!.id;
    },
    async find(id) {
      if (!UUID.test(id)) return null;
      const [r] = await rows<AttachmentDbRow>(db, sql`${attachmentSelect} WHERE id = ${id}::uuid`);
      return r ? toRow(r) : null;
    },
    async findMany(ids) {
      const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
      if (valid.length === 0) return [];
      const r = await rows<AttachmentDbRow>(db, sql`${attachmentSelect} WHERE id IN ${inList(valid)} ORDER BY created_at, id`);
      return r.map(toRow);
    },
    async content(id, which) {
      if (!UUID.test(id)) return null;
      const column = which === 'data' ? sql`data` : sql`thumb`;
      const [r] = await rows<{ mime: string; bytes: unknown }>(db, sql`SELECT mime, ${column} AS bytes FROM attachments WHERE id = ${id}::uuid`);
      if (!r || r.bytes === null || r.bytes === undefined) return null;
      return { mime: which === 'data' ? r.mime : THUMB_MIME, bytes: asBuffer(r.bytes) };
    },
    async link(ids, caseId, eventSeq, districtId, by) {
      const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
      if (valid.length === 0) return 0;
      const r = await rows<{ id: string }>(db, sql`
        UPDATE attachments SET case_id = ${caseId}::uuid, event_seq = ${eventSeq}, district_id = ${districtId}::bigint
        WHERE id IN ${inList(valid)} AND case_id IS NULL AND uploaded_by = ${by}::uuid
        RETURNING id::text`);
      return r.length;
    },
    async ofCase(caseId) {
      const r = await rows<AttachmentDbRow>(db, sql`${attachmentSelect} WHERE case_id = ${caseId}::uuid ORDER BY event_seq, created_at, id`);
      return r.map(toRow);
    },
  };
}
