export interface AttachmentRow {
  id: string;
  caseId: string | null;
  eventSeq: number | null;
  kind: 'image' | 'audio';
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  uploadedBy: string | null;
  createdAt: Date;
}

/** Stored photos and voice notes (implemented in @wangge/db; bytes live in the database). */
export interface AttachmentsPort {
  insert(a: { kind: 'image' | 'audio'; mime: string; size: number; width: number | null; height: number | null; data: Buffer; thumb: Buffer | null; uploadedBy: string | null; at: Date }): Promise<string>;
  find(id: string): Promise<AttachmentRow | null>;
  /** Several by id (unknown ids are left out). */
  findMany(ids: string[]): Promise<AttachmentRow[]>;
  /** The bytes of the file or its thumbnail (null when there is none). */
  content(id: string, which: 'data' | 'thumb'): Promise<{ mime: string; bytes: Buffer } | null>;
  /** Links unlinked uploads to a case step (only rows with case_id NULL uploaded by `by` are taken); returns how many were linked. */
  link(ids: string[], caseId: string, eventSeq: number, districtId: string | null, by: string): Promise<number>;
  ofCase(caseId: string): Promise<AttachmentRow[]>;
}
