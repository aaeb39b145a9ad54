import type { AttachmentView } from '@wangge/contracts';
import { forbidden, notFound } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { Store } from '../ports.ts';
import type { Actor } from '../auth/auth.types.ts';
import { holdsSomewhere, type Permission } from '../auth/auth.policy.ts';
import type { AttachmentRow, AttachmentsPort } from './attachments.ports.ts';

/**
 * Photos and voice notes. The bytes arrive here already checked and cleaned by the HTTP adapter
 * (type sniffed from the content, images re-encoded without EXIF/GPS): the domain only decides who
 * may store and who may read. An upload is free-standing until a case step links it (the cases
 * module calls `AttachmentsPort.link`); from then on it is as visible as its case.
 */
export interface AttachmentDeps {
  store: Store;
  clock: Clock;
  /** Whether the actor may read the case (provided by the cases module, which owns that rule). */
  /** Whether the actor may read the case, and the step `eventSeq` of its trace when the file belongs to one. */
  canReadCase: (actor: Actor, caseId: string, eventSeq?: number | null) => Promise<boolean>;
}

/** Whoever may add something to a case step somewhere may upload: report, dispatch, handle, verify. */
export const UPLOAD_PERMISSIONS: readonly Permission[] = ['case.report', 'case.dispatch', 'case.handle', 'case.verify'];

export interface NewAttachment {
  kind: 'image' | 'audio';
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  data: Buffer;
  thumb: Buffer | null;
}

type UploadDeps = { store: { attachments: Pick<AttachmentsPort, 'insert'> }; clock: Clock };
type ReadDeps = { store: { attachments: Pick<AttachmentsPort, 'find' | 'content'> }; canReadCase: AttachmentDeps['canReadCase'] };

export function mayUpload(actor: Pick<Actor, 'grants'>): boolean {
  return UPLOAD_PERMISSIONS.some((p) => holdsSomewhere(actor, p));
}

/** Throws forbidden unless the actor may upload: the HTTP layer asks before it reads and decodes a file. */
export function requireUploader(actor: Pick<Actor, 'grants'>): void {
  if (!mayUpload(actor)) throw forbidden();
}

/** Stores a cleaned file for the actor; it stays private to the uploader until linked to a case. */
export async function upload(deps: UploadDeps, actor: Actor, file: NewAttachment): Promise<AttachmentRow> {
  requireUploader(actor);
  const at = deps.clock.now();
  const id = await deps.store.attachments.insert({ ...file, uploadedBy: actor.userId, at });
  return {
    id, caseId: null, eventSeq: null, kind: file.kind, mime: file.mime, size: file.size, width: file.width, height: file.height,
    uploadedBy: actor.userId, createdAt: at,
  };
}

/**
 * Whether the actor may see this attachment: an unlinked one only by its uploader, a linked one
 * by whoever may read its case. Anything else answers "not found" — we do not confirm it exists.
 */
export async function canRead(deps: Pick<ReadDeps, 'canReadCase'>, actor: Actor, row: AttachmentRow): Promise<boolean> {
  if (row.caseId === null) return row.uploadedBy !== null && row.uploadedBy === actor.userId;
  return deps.canReadCase(actor, row.caseId, row.eventSeq);
}

/** The bytes of a file or its thumbnail (not found for a voice note's thumbnail). */
export async function read(deps: ReadDeps, actor: Actor, id: string, which: 'data' | 'thumb'): Promise<{ row: AttachmentRow; mime: string; bytes: Buffer }> {
  const row = await deps.store.attachments.find(id);
  if (!row || !(await canRead(deps, actor, row))) throw notFound('case.attachment_not_found');
  const content = await deps.store.attachments.content(id, which);
  if (!content) throw notFound('case.attachment_not_found');
  return { row, ...content };
}

/** The presented form (also used by the cases module for the attachments of a case and its steps). */
export function present(row: AttachmentRow): AttachmentView {
  return {
    id: row.id, kind: row.kind, mime: row.mime, size: row.size, width: row.width, height: row.height,
    url: `/api/attachments/${row.id}`,
    thumbUrl: row.kind === 'image' ? `/api/attachments/${row.id}/thumb` : null,
    createdAt: row.createdAt.toISOString(),
  };
}
