import { LEDGER_SPECS, type DictTable, type ErrorCode, type FieldSpec, type LedgerKey, type LedgerSpec, type Text } from '@wangge/contracts';
import type { Actor, AreaScope } from '../auth/auth.types.ts';
import { authorize, inScope, requireSomewhere, scopeFor } from '../auth/auth.policy.ts';
import { conflict, DomainError, invalid, notFound, type ErrorParam } from '../shared/errors.ts';
import type { AuditInput, Ports } from '../ports.ts';
import type { GridRow } from '../grids/grids.types.ts';
import type { ChangeRecord, NewRecord, StoredRecord } from './registry.ports.ts';
import { list as listRecords, scan as scanRecords, valueContext, type RegistryDeps } from './registry.usecases.ts';
import { validateValues, type Value, type ValueContext, type Values } from './registry.values.ts';
import { maskName } from '../shared/mask.ts';

/**
 * Excel/CSV imports of the registry (ADR 0004): a file is read as a stream of rows, each row is
 * validated by the one validation of the forms (validateValues), its ref cells (titles: a 户号, a
 * building's name or code…) are resolved within the importer's scope, it is matched to an existing
 * record by the ledger's `match` rules ("enter once") and then updates it, or is created. Rows are
 * written in batches, one transaction per batch with one audit row, every created row carrying the
 * import's id and every update its history row with the row before — so the import can be rolled
 * back as a whole. Rows that fail are reported (row, column, code + parameters, the cells); the
 * others are imported. A file that turns out unreadable half-way is undone: nothing half-written.
 */

// ── Reading ───────────────────────────────────────────────────────────────────

/** One cell as a reader gives it (exceljs' rich text, formulas and hyperlinks already flattened). */
export type Cell = string | number | boolean | Date | null;
export interface SourceRow {
  /** The row number as the spreadsheet shows it (the header is usually row 1). */
  row: number;
  cells: Cell[];
}

/** A file opened for import: its header row, then its data rows, read as a stream. */
export interface ImportSource {
  header: Cell[];
  rows: AsyncIterable<SourceRow>;
  /** How many data rows the file holds: an estimate (xlsx dimension, bytes per row) for the progress bar, null when unknown. */
  estimate(): number | null;
  close(): Promise<void>;
}

/** An unreadable file (also thrown by readers half-way through a file). */
export const malformed = (detail: Text | string) => invalid('registry.import_malformed', { detail });

/** A stored cell: text, number or boolean (dates as YYYY-MM-DD). */
export type StoredCell = string | number | boolean | null;

export function storedCell(c: Cell | undefined): StoredCell {
  if (c === undefined || c === null) return null;
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? null : c.toISOString().slice(0, 10);
  if (typeof c === 'string') return c.trim() === '' ? null : c;
  return c;
}

// ── Headers ───────────────────────────────────────────────────────────────────

/** A header text as compared: without required marks, spaces and case. */
export const normalizeHeader = (s: string) => s.replace(/[*＊\s\u3000]/g, '').replace(/[（(](必填|required)[)）]$/i, '').toLowerCase();

/** The fields an import may fill: every field but the derived ones (the template's columns, in this order). */
export const importFields = (ledger: LedgerKey): FieldSpec[] => LEDGER_SPECS[ledger].fields.filter((f) => !f.derived);

/** Which field each column fills: a header may be the label in either language or the field key; other columns are ignored. */
export function mapHeader(ledger: LedgerKey, header: Cell[]): { columns: (FieldSpec | null)[]; missing: FieldSpec[] } {
  const byName = new Map<string, FieldSpec>();
  for (const f of importFields(ledger)) for (const n of [f.key, f.label['zh-CN'], f.label.en]) byName.set(normalizeHeader(n), f);
  const seen = new Set<string>();
  const columns = header.map((h) => {
    const text = storedCell(h);
    if (text === null) return null;
    const f = byName.get(normalizeHeader(String(text)));
    if (!f) return null;
    if (seen.has(f.key)) throw malformed({ 'zh-CN': `「${f.label['zh-CN']}」列出现了两次`, en: `the column “${f.label.en}” appears twice` });
    seen.add(f.key);
    return f;
  });
  const missing = importFields(ledger).filter((f) => f.required && !seen.has(f.key));
  return { columns, missing };
}

const joinLabels = (fs: FieldSpec[]): Text => ({ 'zh-CN': fs.map((f) => f.label['zh-CN']).join('、'), en: fs.map((f) => f.label.en).join(', ') });

// ── CSV ───────────────────────────────────────────────────────────────────────

/**
 * The encoding of a CSV from its first bytes: a BOM says it; else UTF-8 when the bytes are valid
 * UTF-8, else GB18030 (what Excel in China writes, a superset of GBK and GB2312).
 */
export function detectCsvEncoding(head: Uint8Array): { encoding: 'utf-8' | 'utf-16le' | 'gb18030'; bom: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bom: 0 };
  } catch {
    return { encoding: 'gb18030', bom: 0 };
  }
}

/** The delimiter of a CSV from its first line: tab (Excel's "Unicode text"), semicolon, or comma. */
export function detectDelimiter(firstLine: string): string {
  const count = (c: string) => firstLine.split(c).length - 1;
  const [tab, semi, comma] = [count('\t'), count(';'), count(',')];
  if (tab > comma && tab >= semi) return '\t';
  if (semi > comma) return ';';
  return ',';
}

/** An RFC 4180 reader over text chunks: quoted fields with doubled quotes and line breaks, CRLF/LF/CR. */
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private quoted = false;
  private afterQuote = false;
  private skipLf = false;
  private readonly d: number;
  constructor(delimiter = ',') {
    this.d = delimiter.charCodeAt(0);
  }

  /** Parses a chunk; complete records are pushed to `out`. */
  push(text: string, out: string[][]): void {
    const d = this.d;
    let start = 0;
    const n = text.length;
    let i = 0;
    if (this.skipLf && n > 0) {
      this.skipLf = false;
      if (text.charCodeAt(0) === 10) i = start = 1;
    }
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.quoted) {
        if (c === 34) {
          this.field += text.slice(start, i);
          start = i + 1;
          this.quoted = false;
          this.afterQuote = true;
        }
        continue;
      }
      if (c === 34) {
        if (this.afterQuote) {
          // "" inside a quoted field: a literal quote, and the field goes on quoted.
          this.field += '"';
          this.quoted = true;
          this.afterQuote = false;
        } else if (this.field === '' && start === i) this.quoted = true;
        else continue; // a stray quote inside an unquoted field is kept as text
        start = i + 1;
        continue;
      }
      if (c === d) {
        this.record.push(this.field + text.slice(start, i));
        this.field = '';
        this.afterQuote = false;
        start = i + 1;
      } else if (c === 10 || c === 13) {
        this.record.push(this.field + text.slice(start, i));
        out.push(this.record);
        this.record = [];
        this.field = '';
        this.afterQuote = false;
        if (c === 13) {
          if (i + 1 < n) {
            if (text.charCodeAt(i + 1) === 10) i++;
          } else this.skipLf = true;
        }
        start = i + 1;
      } else if (this.afterQuote) {
        // Text after a closing quote ("ab"c): kept, as spreadsheets do.
        this.afterQuote = false;
      }
    }
    this.field += text.slice(start, n);
  }

  /** The last record when the file does not end with a line break. */
  end(out: string[][]): void {
    if (this.quoted) throw malformed({ 'zh-CN': 'CSV 文件中有未闭合的引号', en: 'an unterminated quote in the CSV file' });
    if (this.field !== '' || this.record.length > 0) out.push([...this.record, this.field]);
    this.record = [];
    this.field = '';
  }
}

// ── Storage ───────────────────────────────────────────────────────────────────

export type ImportStatus = 'running' | 'done' | 'failed' | 'rolled_back';

export interface ImportProblem {
  /** The field the problem is in (its column); null for the whole row. */
  field: string | null;
  code: ErrorCode;
  params: Record<string, ErrorParam>;
}

/** A row that was not imported: its problems and its cells (by field key), for the report and for fixing. */
export interface ImportErrorRow {
  row: number;
  problems: ImportProblem[];
  cells: Record<string, StoredCell>;
}

export interface ImportChange {
  row: number;
  id: string;
  title: string;
  fields: string[];
}

/** Why an import failed (worded when shown) and whether what it had written was undone. */
export interface ImportMessage {
  code: ErrorCode;
  params: Record<string, ErrorParam>;
  undone?: boolean;
}

export interface ImportCounts {
  rowsTotal: number;
  rowsDone: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface ImportRecord extends ImportCounts {
  id: string;
  ledger: LedgerKey;
  fileName: string;
  areaId: string;
  areaPath: string;
  districtId: string | null;
  status: ImportStatus;
  errors: ImportErrorRow[];
  changes: ImportChange[];
  message: ImportMessage | null;
  actorId: string | null;
  actorName: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** A record a ref cell may name: its key values in the order asked, and its parent (for names that are unique only within it). */
export interface RefCandidate {
  id: string;
  gridId: string;
  gridPath: string;
  districtId: string | null;
  parentId: string | null;
  keys: (string | null)[];
}

export interface MatchCandidate {
  /** The index of the tuple it matches. */
  i: number;
  id: string;
  gridPath: string;
  districtId: string | null;
  title: string;
}

export interface RowDiff {
  id: string;
  version: number;
  gridId: string;
  /** Field keys whose stored value differs from the one given. */
  changed: string[];
}

/** Storage of imports (implemented in @wangge/db, registry-import.repo.ts). */
export interface RegistryImportsPort {
  create(r: { ledger: LedgerKey; fileName: string; areaId: string; districtId: string | null; rowsTotal: number; actorId: string; actorName: string; at: Date }): Promise<string>;
  /** `errors: 'head'` gives the first 200 error rows and changes; 'all' everything; 'none' neither. */
  get(id: string, opts?: { forUpdate?: boolean; errors?: 'none' | 'head' | 'all' }): Promise<ImportRecord | null>;
  list(scope: AreaScope, ledger: LedgerKey | undefined, limit: number): Promise<ImportRecord[]>;
  /**
   * Progress of a running import (and its heartbeat); errors and changes are replaced when given.
   * false when it is no longer running (taken as interrupted and undone meanwhile): the caller stops.
   */
  progress(id: string, counts: ImportCounts, errors?: ImportErrorRow[], changes?: ImportChange[]): Promise<boolean>;
  /** Ends a running import; false (nothing changed) when it is no longer running. */
  finish(id: string, status: ImportStatus, at: Date, counts: ImportCounts, errors: ImportErrorRow[], changes: ImportChange[], message: ImportMessage | null): Promise<boolean>;
  setStatus(id: string, status: ImportStatus): Promise<void>;
  /** Imports still 'running' with no batch written for `minutes` (their server stopped); `lock`: locked for the transaction, skipping those another server holds. */
  interrupted(minutes: number, lock: boolean): Promise<string[]>;
  /** Records of a ledger inside the scope whose key fields equal one of `texts`, or whose id is one of `ids` (one query). */
  refCandidates(ledger: LedgerKey, scope: AreaScope, keys: string[], texts: string[], ids: string[], parentField: string | null): Promise<RefCandidate[]>;
  /**
   * Records whose `fields` equal one of the tuples (idno/phone through the blind index), in one
   * query; with `districts` (one per tuple), only records of the tuple's district.
   */
  matchCandidates(ledger: LedgerKey, fields: string[], tuples: Value[][], districts?: (string | null)[]): Promise<MatchCandidate[]>;
  /** The heads (与户主关系 02) of these households. */
  headsOf(householdIds: string[]): Promise<{ householdId: string; id: string; name: string }[]>;
  /** Locks the records and tells which of the given values differ from what is stored. */
  diffMany(ledger: LedgerKey, items: { id: string; values: Values }[]): Promise<RowDiff[]>;
  /** The title of a record the import wrote that was changed since (or is pointed to by a record written since); null when none. */
  superseded(importId: string, ledger: LedgerKey): Promise<string | null>;
  /** Deletes the records the import created; answers how many. */
  deleteCreated(importId: string, ledger: LedgerKey): Promise<number>;
  /** Puts back the records the import updated as they were before, each with a 'restore' history row; answers their ids. */
  restoreUpdated(importId: string, ledger: LedgerKey, at: Date, actor: { id: string | null; name: string | null }): Promise<string[]>;
}

export interface ImportDeps extends RegistryDeps {
  /** Rows per batch (one transaction and one audit row each). */
  batchSize: number;
}

/** Error rows kept for the report (the count of failed rows goes on beyond). */
export const MAX_ERROR_ROWS = 50_000;
/** Updated records listed with their changed fields. */
export const MAX_CHANGES = 10_000;
/** How many error rows and changes a running import shows as it goes (the view lists the first 200). */
const LIVE_LIMIT = 200;

// ── Planning a ledger's import ───────────────────────────────────────────────

/** A ref cell names its record by these fields, tried in order: the single-field match keys (a building's code), then the title. */
export function refKeysOf(target: LedgerKey): string[] {
  const spec = LEDGER_SPECS[target];
  const keys = spec.match.filter((r) => r.length === 1).map((r) => r[0]!);
  if (!keys.includes(spec.title)) keys.push(spec.title);
  return keys.filter((k) => spec.fields.some((f) => f.key === k && f.type !== 'idno' && f.type !== 'phone'));
}

/**
 * A ref whose target is named only within its parent (an entrance, 1单元, within its building):
 * the field of this ledger that gives that parent, when it has one.
 */
function scopingFieldOf(spec: LedgerSpec, f: FieldSpec): { field: string; parentField: string } | null {
  const target = LEDGER_SPECS[f.ref!];
  if (!target.parentField || target.match.some((r) => r.length === 1)) return null;
  const parentLedger = target.fields.find((x) => x.key === target.parentField)!.ref;
  const g = spec.fields.find((x) => x.type === 'ref' && x.ref === parentLedger && x.key !== f.key);
  return g ? { field: g.key, parentField: target.parentField } : null;
}

/** Ledgers whose keys are unique nationally, not per district (部件编码). */
const NATIONAL_KEYS: ReadonlySet<LedgerKey> = new Set(['facilities']);
const MOVERS: ReadonlySet<LedgerKey> = new Set(['buildings', 'houses', 'households']);
const ID_AS_NUMBER: Text = {
  'zh-CN': '证件号码被存成了数字，末几位已丢失；请把该列设为“文本”格式后重新填写',
  en: 'the ID number was stored as a number and lost its last digits; format the column as text and type it again',
};
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;


interface Prepared {
  row: number;
  cells: Record<string, StoredCell>;
  values: Values;
  /** Ref field → the text of its cell (a title or an id). */
  refs: Record<string, string>;
  problems: ImportProblem[];
}

interface Placed {
  gridId: string;
  districtId: string | null;
  path: string;
  /** Whether the place came from the row itself (a parent record or a point) rather than the import's area. */
  fromRow: boolean;
}

interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  errorRows: ImportErrorRow[];
  changes: ImportChange[];
  matched: [string, number][];
}

/** Whether an error is a database integrity violation (SQLSTATE class 23: unique, foreign key, check) somewhere in its causes. */
function isIntegrityViolation(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^23[0-9A-Z]{3}$/.test(code)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/** Bytes-per-statement guard: PostgreSQL takes at most 65,535 parameters in one statement. */
function rowsPerInsert(ledger: LedgerKey): number {
  const cols = 6 + importFields(ledger).reduce((n, f) => n + (f.type === 'idno' || f.type === 'phone' ? 3 : 1), 0) + (ledger === 'persons' ? 3 : 0);
  return Math.max(1, Math.floor(60_000 / cols));
}

// ── Starting ──────────────────────────────────────────────────────────────────

/** The area an import goes into: visible (else 404) and open to registry.import (else 403). */
export async function importArea(deps: RegistryDeps, actor: Actor, areaId: string): Promise<GridRow> {
  const area = await deps.store.grids.area(areaId);
  if (!area) throw notFound('area.not_found');
  authorize(actor, 'registry.import', area.path, 'area.not_found');
  return area;
}

export interface StartedImport {
  record: ImportRecord;
  /** Reads and writes the rest of the file; resolves when the import has ended (done or failed), with an unexpected error if one ended it. */
  run(signal?: AbortSignal): Promise<{ status: ImportStatus; unexpected?: unknown }>;
}

/**
 * Checks the area and the header (missing required columns: nothing is written), records the
 * import as running and hands back the run, which the caller starts in the background.
 */
export async function startImport(deps: ImportDeps, actor: Actor, ledger: LedgerKey, q: { areaId: string; fileName: string }, source: ImportSource): Promise<StartedImport> {
  const area = await importArea(deps, actor, q.areaId);
  const { columns, missing } = mapHeader(ledger, source.header);
  if (missing.length > 0) throw invalid('registry.import_header_missing', { columns: joinLabels(missing) });
  const at = deps.clock.now();
  // Today as a calendar day, once: the ID number checks would otherwise work it out for every row.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: deps.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const ctx: ValueContext = { ...(await valueContext(deps)), today };
  const id = await deps.store.registryImports.create({
    ledger, fileName: q.fileName, areaId: area.id, districtId: area.districtId, rowsTotal: source.estimate() ?? 0, actorId: actor.userId, actorName: actor.username, at,
  });
  const record = (await deps.store.registryImports.get(id, { errors: 'none' }))!;
  const engine = new ImportEngine(deps, actor, ledger, id, area, columns, ctx, source);
  return { record, run: (signal) => engine.run(signal) };
}

class ImportEngine {
  private readonly spec: LedgerSpec;
  private readonly scope: AreaScope;
  private readonly counts: ImportCounts = { rowsTotal: 0, rowsDone: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };
  private readonly errors: ImportErrorRow[] = [];
  private readonly changes: ImportChange[] = [];
  /** Match keys seen in the file so far → the row that had them. */
  private readonly fileKeys = new Map<string, number>();
  /** Heads named in the file: household cell → row and name. */
  private readonly fileHeads = new Map<string, { row: number; name: string }>();
  /** Existing records matched so far → the row that matched them. */
  private readonly matched = new Map<string, number>();
  private batchNo = 0;
  private wroteSomething = false;

  constructor(
    private readonly deps: ImportDeps,
    private readonly actor: Actor,
    private readonly ledger: LedgerKey,
    private readonly importId: string,
    private readonly area: GridRow,
    private readonly columns: (FieldSpec | null)[],
    private readonly ctx: ValueContext,
    private readonly source: ImportSource,
  ) {
    this.spec = LEDGER_SPECS[ledger];
    this.scope = scopeFor(actor, 'registry.import');
  }

  async run(signal?: AbortSignal): Promise<{ status: ImportStatus; unexpected?: unknown }> {
    const rows = this.source.rows[Symbol.asyncIterator]();
    let next: Promise<Prepared[] | null> | null = null;
    try {
      // Reading and validating the next batch overlaps with writing this one (the database works in its own thread or process).
      next = this.readBatch(rows);
      for (;;) {
        const batch: Prepared[] | null = await next;
        next = null;
        if (batch === null) break;
        if (signal?.aborted) throw new DomainError('registry.import_interrupted', 'unavailable');
        next = this.readBatch(rows);
        next.catch(() => undefined); // handled when awaited; a failed write must not leave it unhandled
        await this.writeBatch(batch);
      }
      this.counts.rowsTotal = this.counts.rowsDone;
      await this.deps.store.registryImports.finish(this.importId, 'done', this.deps.clock.now(), this.counts, this.errors, this.changes, null);
      return { status: 'done' };
    } catch (e) {
      await next?.catch(() => undefined);
      const known = e instanceof DomainError;
      const message: ImportMessage = known ? { code: e.code, params: e.params ?? {} } : { code: 'internal', params: { requestId: this.importId } };
      let unexpected: unknown = known ? undefined : e;
      try {
        if (this.wroteSomething) message.undone = await this.undo();
        this.counts.rowsTotal = Math.max(this.counts.rowsTotal, this.counts.rowsDone);
        await this.deps.store.registryImports.finish(this.importId, 'failed', this.deps.clock.now(), this.counts, this.errors, this.changes, message);
      } catch (e2) {
        unexpected ??= e2;
      }
      return unexpected === undefined ? { status: 'failed' } : { status: 'failed', unexpected };
    } finally {
      await this.source.close().catch(() => undefined);
    }
  }

  /** Undoes the batches already written, unless someone changed their records meanwhile. */
  private async undo(): Promise<boolean> {
    return this.deps.store.transaction(async (tx) => {
      if (await tx.registryImports.superseded(this.importId, this.ledger)) return false;
      const r = await undoWrites(tx, this.importId, this.ledger, this.deps.clock.now(), { id: this.actor.userId, name: this.actor.username });
      await tx.audit.append(this.audit('registry.import.undone', { ledger: this.ledger, ...r }));
      return true;
    });
  }

  // ── reading and validating (no database) ──

  private async readBatch(rows: AsyncIterator<SourceRow>): Promise<Prepared[] | null> {
    const out: Prepared[] = [];
    while (out.length < this.deps.batchSize) {
      const r = await rows.next();
      if (r.done) break;
      const p = this.prepare(r.value);
      if (p) out.push(p);
    }
    return out.length === 0 ? null : out;
  }

  private prepare(src: SourceRow): Prepared | null {
    const input: Record<string, unknown> = {};
    const cells: Record<string, StoredCell> = {};
    const refs: Record<string, string> = {};
    const problems: ImportProblem[] = [];
    let any = false;
    for (let i = 0; i < this.columns.length; i++) {
      const f = this.columns[i];
      if (!f) continue;
      const raw = src.cells[i];
      const stored = storedCell(raw);
      cells[f.key] = stored;
      if (stored === null) continue;
      any = true;
      if (f.type === 'ref') {
        refs[f.key] = String(stored).trim();
        input[f.key] = PLACEHOLDER_ID;
      } else if (f.type === 'idno' && typeof raw === 'number' && raw >= 1e15) {
        // Excel keeps 15 significant digits: an ID number typed into a number cell has lost its last ones.
        problems.push({ field: f.key, code: 'registry.field_invalid', params: { field: f.label, detail: ID_AS_NUMBER } });
      } else input[f.key] = typeof raw === 'string' ? raw.trim() : raw;
    }
    if (!any) return null; // a blank row
    const { values, errors } = validateValues(this.ledger, input, this.ctx, 'create');
    for (const k of Object.keys(refs)) values[k] = null; // resolved against the database
    for (const e of errors) problems.push({ field: e.field, code: e.code, params: e.params });
    if (problems.length === 0) this.checkFile(src.row, values, refs, problems);
    return { row: src.row, cells, values, refs, problems };
  }

  /** Duplicates inside the file (by every match rule) and two heads named for one household. */
  private checkFile(row: number, values: Values, refs: Record<string, string>, problems: ImportProblem[]) {
    const keys: string[] = [];
    this.spec.match.forEach((rule, n) => {
      const parts = rule.map((k) => (k in refs ? refs[k]! : values[k] === null || values[k] === undefined ? null : String(values[k])));
      if (parts.every((p) => p !== null)) keys.push(`${n}\u0001${parts.join('\u0001')}`);
    });
    const earlier = keys.map((k) => this.fileKeys.get(k)).find((r) => r !== undefined);
    if (earlier !== undefined) {
      problems.push({ field: null, code: 'registry.import_row_duplicate', params: { row: earlier } });
      return;
    }
    for (const k of keys) this.fileKeys.set(k, row);
    if (this.ledger === 'persons' && values.relation === '02' && refs.householdId) {
      const head = this.fileHeads.get(refs.householdId);
      if (head) problems.push({ field: 'relation', code: 'registry.two_heads', params: { name: head.name } });
      else this.fileHeads.set(refs.householdId, { row, name: String(values.name ?? '') });
    }
  }

  // ── writing ──

  private async writeBatch(batch: Prepared[]) {
    this.batchNo++;
    let outcome: BatchOutcome;
    try {
      outcome = await this.deps.store.transaction((tx) => this.writeRows(tx, batch, new Map(), true));
    } catch (e) {
      if (!isIntegrityViolation(e)) throw e;
      // A constraint the checks did not foresee (a concurrent edit, an unusual combination): each row on
      // its own transaction, so only the offending ones fail; the batch's progress and audit row after.
      outcome = { created: 0, updated: 0, unchanged: 0, errorRows: [], changes: [], matched: [] };
      const local = new Map<string, number>();
      for (const p of batch) {
        try {
          const one = await this.deps.store.transaction((tx) => this.writeRows(tx, [p], new Map(local), false));
          outcome.created += one.created;
          outcome.updated += one.updated;
          outcome.unchanged += one.unchanged;
          outcome.errorRows.push(...one.errorRows);
          outcome.changes.push(...one.changes);
          outcome.matched.push(...one.matched);
          for (const [id, row] of one.matched) local.set(id, row);
        } catch (e2) {
          if (!isIntegrityViolation(e2)) throw e2;
          const detail = String((e2 as { constraint?: unknown }).constraint ?? (e2 as Error).message).slice(0, 120);
          outcome.errorRows.push({ row: p.row, cells: p.cells, problems: [{ field: null, code: 'registry.import_row_conflict', params: { detail } }] });
        }
      }
      await this.deps.store.transaction(async (tx) => {
        await this.recordProgress(tx, outcome);
      });
    }
    for (const [id, row] of outcome.matched) this.matched.set(id, row);
    this.merge(outcome);
  }

  private merge(o: BatchOutcome) {
    this.counts.created += o.created;
    this.counts.updated += o.updated;
    this.counts.unchanged += o.unchanged;
    this.counts.failed += o.errorRows.length;
    this.counts.rowsDone += o.created + o.updated + o.unchanged + o.errorRows.length;
    for (const e of o.errorRows) if (this.errors.length < MAX_ERROR_ROWS) this.errors.push(e);
    for (const c of o.changes) if (this.changes.length < MAX_CHANGES) this.changes.push(c);
    if (o.created + o.updated > 0) this.wroteSomething = true;
  }

  /** The counts as they will be once this batch is merged, written with the batch (the progress bar). */
  private async recordProgress(tx: Ports, o: BatchOutcome) {
    const done = this.counts.rowsDone + o.created + o.updated + o.unchanged + o.errorRows.length;
    const counts: ImportCounts = {
      rowsTotal: Math.max(this.source.estimate() ?? 0, done), rowsDone: done, created: this.counts.created + o.created, updated: this.counts.updated + o.updated,
      unchanged: this.counts.unchanged + o.unchanged, failed: this.counts.failed + o.errorRows.length,
    };
    const liveErrors = this.errors.length < LIVE_LIMIT && o.errorRows.length > 0 ? [...this.errors, ...o.errorRows].slice(0, LIVE_LIMIT) : undefined;
    const liveChanges = this.changes.length < LIVE_LIMIT && o.changes.length > 0 ? [...this.changes, ...o.changes].slice(0, LIVE_LIMIT) : undefined;
    // Taken as interrupted meanwhile (its batches undone by another look at the imports): this batch rolls back, and the import stops.
    if (!(await tx.registryImports.progress(this.importId, counts, liveErrors, liveChanges))) throw new DomainError('registry.import_interrupted', 'conflict');
    if (o.created + o.updated > 0) {
      await tx.audit.append(this.audit('registry.import.batch', { importId: this.importId, ledger: this.ledger, batch: this.batchNo, created: o.created, updated: o.updated, failed: o.errorRows.length }));
    }
  }

  private audit(action: string, diff: unknown): AuditInput {
    return { at: this.deps.clock.now(), actorId: this.actor.userId, actorName: this.actor.username, action, entityType: 'registry_import', entityId: this.importId, areaId: this.area.id, diff, ip: this.actor.ip, requestId: this.actor.requestId };
  }

  /** One batch in one transaction: resolve refs, place, match, check, update, insert, progress, audit. */
  private async writeRows(tx: Ports, batch: Prepared[], local: Map<string, number>, withProgress: boolean): Promise<BatchOutcome> {
    const at = this.deps.clock.now();
    const failed = new Map<Prepared, ImportProblem[]>();
    const fail = (p: Prepared, problem: ImportProblem) => {
      const list = failed.get(p);
      if (list) list.push(problem);
      else failed.set(p, [problem]);
    };
    for (const p of batch) for (const pr of p.problems) fail(p, pr);
    const live = () => batch.filter((p) => !failed.has(p));

    const parents = await this.resolveRefs(tx, live(), fail);
    const places = await this.place(tx, live(), parents, fail);
    const matches = await this.match(tx, live(), places, local, fail);
    if (this.ledger === 'persons') await this.checkHeads(tx, live(), matches, fail);

    // Updates of matched records: only those with something new (an empty cell keeps the stored value).
    const outcome: BatchOutcome = { created: 0, updated: 0, unchanged: 0, errorRows: [], changes: [], matched: [] };
    const toUpdate = live().filter((p) => matches.has(p));
    const patches = new Map(toUpdate.map((p) => [p, Object.fromEntries(Object.entries(p.values).filter(([, v]) => v !== null)) as Values]));
    const diffs = new Map((await tx.registryImports.diffMany(this.ledger, toUpdate.map((p) => ({ id: matches.get(p)!.id, values: patches.get(p)! })))).map((d) => [d.id, d]));
    const history: ChangeRecord[] = [];
    const moved: string[] = [];
    for (const p of toUpdate) {
      const m = matches.get(p)!;
      const d = diffs.get(m.id);
      outcome.matched.push([m.id, p.row]);
      if (!d) {
        fail(p, { field: null, code: 'registry.import_row_conflict', params: { detail: 'deleted' } });
        continue;
      }
      const place = places.get(p)!;
      const moveTo = place.fromRow && place.gridId !== d.gridId ? place.gridId : null;
      if (d.changed.length === 0 && moveTo === null) {
        outcome.unchanged++;
        continue;
      }
      const r = await tx.registry.update(this.ledger, m.id, d.version, patches.get(p)!, moveTo, at, this.importId);
      if (!r) {
        fail(p, { field: null, code: 'registry.conflict', params: { version: d.version } });
        continue;
      }
      const changes = moveTo ? { ...r.changes, gridId: [d.gridId, moveTo] as [unknown, unknown] } : r.changes;
      history.push({ ledger: this.ledger, recordId: m.id, districtId: place.fromRow ? place.districtId : m.districtId, action: 'update', changes, before: r.before, importId: this.importId, actorId: this.actor.userId, actorName: this.actor.username, at });
      if (moveTo && MOVERS.has(this.ledger)) moved.push(m.id);
      outcome.updated++;
      if (outcome.changes.length < MAX_CHANGES) outcome.changes.push({ row: p.row, id: m.id, title: m.title, fields: Object.keys(changes) });
    }
    await tx.registry.addChanges(history);
    if (moved.length > 0) await tx.registry.regrid(this.ledger as 'buildings' | 'houses' | 'households', moved);

    // New records, many per statement.
    const fresh = live().filter((p) => !matches.has(p));
    const step = rowsPerInsert(this.ledger);
    for (let i = 0; i < fresh.length; i += step) {
      const part = fresh.slice(i, i + step);
      const recs: NewRecord[] = part.map((p) => {
        const place = places.get(p)!;
        return { gridId: place.gridId, districtId: place.districtId, values: p.values };
      });
      await tx.registry.insert(this.ledger, recs, at, this.importId);
    }
    outcome.created = fresh.length;
    outcome.errorRows = batch.filter((p) => failed.has(p)).map((p) => ({ row: p.row, problems: failed.get(p)!, cells: p.cells }));
    if (withProgress) await this.recordProgress(tx, outcome);
    return outcome;
  }

  /** Ref cells → record ids, one query per ref field; answers the candidate each row's ref resolved to. */
  private async resolveRefs(tx: Ports, rows: Prepared[], fail: (p: Prepared, e: ImportProblem) => void): Promise<Map<Prepared, Record<string, RefCandidate>>> {
    const out = new Map<Prepared, Record<string, RefCandidate>>(rows.map((p) => [p, {}]));
    const refFields = this.spec.fields.filter((f) => f.type === 'ref' && !f.derived);
    // Refs scoped by another ref of the row (an entrance within its building) after the others.
    const ordered = [...refFields.filter((f) => !scopingFieldOf(this.spec, f)), ...refFields.filter((f) => scopingFieldOf(this.spec, f))];
    const failedRows = new Set<Prepared>();
    for (const f of ordered) {
      const users = rows.filter((p) => p.refs[f.key] !== undefined && !failedRows.has(p));
      if (users.length === 0) continue;
      const keys = refKeysOf(f.ref!);
      const scoping = scopingFieldOf(this.spec, f);
      const texts = [...new Set(users.map((p) => p.refs[f.key]!).filter((s) => !UUID.test(s)))];
      const ids = [...new Set(users.map((p) => p.refs[f.key]!).filter((s) => UUID.test(s)).map((s) => s.toLowerCase()))];
      const cands = await tx.registryImports.refCandidates(f.ref!, this.scope, keys, texts, ids, scoping?.parentField ?? null);
      // The candidates by id and by each key's text, within the whole pool and within each parent (one pass, not one per row).
      const index = new Map<string, RefCandidate[]>();
      const add = (k: string, c: RefCandidate) => {
        const list = index.get(k);
        if (list) list.push(c);
        else index.set(k, [c]);
      };
      for (const c of cands) {
        for (const parent of scoping && c.parentId !== null ? ['', c.parentId] : ['']) {
          add(`${parent}\u0001id\u0001${c.id}`, c);
          c.keys.forEach((v, k) => { if (v !== null) add(`${parent}\u0001${k}\u0001${v}`, c); });
        }
      }
      for (const p of users) {
        const text = p.refs[f.key]!;
        const parentId = scoping ? (p.values[scoping.field] as string | null) : null;
        const pool = scoping && parentId ? parentId : '';
        let hits: RefCandidate[] = [];
        if (UUID.test(text)) hits = index.get(`${pool}\u0001id\u0001${text.toLowerCase()}`) ?? [];
        else for (let k = 0; k < keys.length && hits.length === 0; k++) hits = index.get(`${pool}\u0001${k}\u0001${text}`) ?? [];
        if (hits.length === 1) {
          p.values[f.key] = hits[0]!.id;
          out.get(p)![f.key] = hits[0]!;
        } else {
          failedRows.add(p);
          fail(p, hits.length === 0
            ? { field: f.key, code: 'registry.ref_not_found', params: { field: f.label } }
            : { field: f.key, code: 'registry.import_ambiguous', params: { field: f.label, value: text } });
        }
      }
    }
    return out;
  }

  /** Each row's grid: its parent record's, its point's, or the import's area (a grid or community). */
  private async place(tx: Ports, rows: Prepared[], parents: Map<Prepared, Record<string, RefCandidate>>, fail: (p: Prepared, e: ImportProblem) => void): Promise<Map<Prepared, Placed>> {
    const out = new Map<Prepared, Placed>();
    const parentKeys = this.spec.parentField ? [this.spec.parentField, ...(this.ledger === 'persons' ? ['houseId'] : [])] : [];
    const locator = this.spec.locate === 'point' ? await this.deps.locators.get(tx.grids) : null;
    const areaIsPlace = this.area.level === 'grid' || this.area.level === 'community';
    const locatedAreas = new Map<string, { districtId: string | null }>();
    for (const p of rows) {
      const parent = parentKeys.map((k) => parents.get(p)?.[k]).find((c) => c !== undefined);
      if (parent) {
        out.set(p, { gridId: parent.gridId, districtId: parent.districtId, path: parent.gridPath, fromRow: true });
        continue;
      }
      if (locator && typeof p.values.lon === 'number' && typeof p.values.lat === 'number') {
        const g = locator.locate(p.values.lon, p.values.lat).basic.at(-1);
        if (!g) fail(p, { field: 'lon', code: 'registry.outside_grids', params: {} });
        else if (!inScope(this.scope, g.path)) fail(p, { field: 'lon', code: 'registry.import_outside_scope', params: {} });
        else {
          let a = locatedAreas.get(g.id);
          if (!a) {
            a = { districtId: (await tx.grids.area(g.id))?.districtId ?? null };
            locatedAreas.set(g.id, a);
          }
          out.set(p, { gridId: g.id, districtId: a.districtId, path: g.path, fromRow: true });
        }
        continue;
      }
      if (!areaIsPlace) fail(p, { field: null, code: 'registry.grid_required', params: {} });
      else out.set(p, { gridId: this.area.id, districtId: this.area.districtId, path: this.area.path, fromRow: false });
    }
    return out;
  }

  /** Existing records by the ledger's match rules, in order, one query per rule; the ones outside the importer's scope are refused. */
  private async match(tx: Ports, rows: Prepared[], places: Map<Prepared, Placed>, local: Map<string, number>, fail: (p: Prepared, e: ImportProblem) => void): Promise<Map<Prepared, MatchCandidate>> {
    const out = new Map<Prepared, MatchCandidate>();
    const done = new Set<Prepared>();
    for (const rule of this.spec.match) {
      const users = rows.filter((p) => !done.has(p) && places.has(p) && rule.every((k) => p.values[k] !== null && p.values[k] !== undefined));
      if (users.length === 0) continue;
      const national = NATIONAL_KEYS.has(this.ledger);
      const cands = await tx.registryImports.matchCandidates(this.ledger, rule, users.map((p) => rule.map((k) => p.values[k]!)), national ? undefined : users.map((p) => places.get(p)!.districtId));
      const byTuple = new Map<number, MatchCandidate[]>();
      for (const c of cands) (byTuple.get(c.i) ?? byTuple.set(c.i, []).get(c.i)!).push(c);
      users.forEach((p, i) => {
        const place = places.get(p)!;
        const hits = (byTuple.get(i) ?? []).filter((c) => national || c.districtId === place.districtId);
        if (hits.length === 0) return;
        done.add(p);
        const fields = rule.map((k) => this.spec.fields.find((f) => f.key === k)!);
        if (hits.length > 1) {
          fail(p, { field: rule[0]!, code: 'registry.import_ambiguous', params: { field: joinLabels(fields), value: rule.map((k) => p.refs[k] ?? String(p.values[k])).join(' / ') } });
          return;
        }
        const hit = hits[0]!;
        if (!inScope(this.scope, hit.gridPath)) {
          if (this.ledger === 'persons' && rule.includes('idNo')) fail(p, { field: 'idNo', code: 'registry.duplicate_id', params: { name: maskName(hit.title) } }); // outside the importer's scope: the surname only
          else fail(p, { field: rule[0]!, code: 'registry.duplicate_key', params: { field: joinLabels(fields), value: rule.map((k) => p.refs[k] ?? String(p.values[k])).join(' / ') } });
          return;
        }
        // Two rows of the file on one existing record (matched by different rules): the later one is a duplicate.
        const earlier = this.matched.get(hit.id) ?? local.get(hit.id);
        if (earlier !== undefined) {
          fail(p, { field: null, code: 'registry.import_row_duplicate', params: { row: earlier } });
          return;
        }
        local.set(hit.id, p.row);
        out.set(p, hit);
      });
    }
    return out;
  }

  /** One head per household: a row naming a head where the household already has another one fails. */
  private async checkHeads(tx: Ports, rows: Prepared[], matches: Map<Prepared, MatchCandidate>, fail: (p: Prepared, e: ImportProblem) => void) {
    const heads = rows.filter((p) => p.values.relation === '02' && typeof p.values.householdId === 'string');
    if (heads.length === 0) return;
    const existing = new Map((await tx.registryImports.headsOf([...new Set(heads.map((p) => p.values.householdId as string))])).map((h) => [h.householdId, h]));
    for (const p of heads) {
      const h = existing.get(p.values.householdId as string);
      if (h && h.id !== matches.get(p)?.id) fail(p, { field: 'relation', code: 'registry.two_heads', params: { name: h.name } });
    }
  }
}

// ── Rolling back ──────────────────────────────────────────────────────────────

async function undoWrites(tx: Ports, importId: string, ledger: LedgerKey, at: Date, actor: { id: string | null; name: string | null }) {
  const deleted = await tx.registryImports.deleteCreated(importId, ledger);
  const restored = await tx.registryImports.restoreUpdated(importId, ledger, at, actor);
  // Records below a restored building, house or household follow it back.
  if (restored.length > 0 && MOVERS.has(ledger)) await tx.registry.regrid(ledger as 'buildings' | 'houses' | 'households', restored);
  return { deleted, restored: restored.length };
}

const STATUS_LABELS: Record<ImportStatus, Text> = {
  running: { 'zh-CN': '进行中', en: 'still running' },
  done: { 'zh-CN': '已完成', en: 'done' },
  failed: { 'zh-CN': '导入失败', en: 'failed' },
  rolled_back: { 'zh-CN': '已撤销', en: 'already rolled back' },
};

/**
 * Undoes a finished import in one transaction: deletes what it created, restores what it updated
 * (from the rows kept before), refused when any of them changed since. The live counters follow.
 */
export async function rollbackImport(deps: RegistryDeps, actor: Actor, importId: string): Promise<ImportRecord> {
  await deps.store.transaction(async (tx) => {
    const rec = await tx.registryImports.get(importId, { forUpdate: true, errors: 'none' });
    if (!rec) throw notFound('registry.import_not_found');
    authorize(actor, 'registry.import', rec.areaPath, 'registry.import_not_found');
    if (rec.status !== 'done') throw conflict('registry.import_not_rollbackable', { status: STATUS_LABELS[rec.status] });
    const title = await tx.registryImports.superseded(importId, rec.ledger);
    if (title !== null) throw conflict('registry.import_superseded', { title });
    const at = deps.clock.now();
    const r = await undoWrites(tx, importId, rec.ledger, at, { id: actor.userId, name: actor.username });
    await tx.registryImports.setStatus(importId, 'rolled_back');
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: 'registry.import.rolled_back', entityType: 'registry_import', entityId: importId, areaId: rec.areaId, diff: { ledger: rec.ledger, ...r }, ip: actor.ip, requestId: actor.requestId });
  });
  return getImport(deps, actor, importId);
}

// ── Interrupted imports ───────────────────────────────────────────────────────

/** A running import writes a batch every second or so; one silent this long has lost its server. */
export const IMPORT_STALE_MINUTES = 5;

/**
 * Imports left 'running' by a server that stopped or crashed mid-way: what their batches wrote is
 * undone (unless changed since) and they are marked failed, as a failing import is. Runs before
 * imports are read or listed, in whichever server looks first; one transaction.
 */
export async function recoverInterrupted(deps: RegistryDeps): Promise<number> {
  // Polled with every look at an import's progress: one indexed read, and a transaction only when there is something to do.
  if ((await deps.store.registryImports.interrupted(IMPORT_STALE_MINUTES, false)).length === 0) return 0;
  return deps.store.transaction(async (tx) => {
    const ids = await tx.registryImports.interrupted(IMPORT_STALE_MINUTES, true);
    const at = deps.clock.now();
    for (const id of ids) {
      const rec = (await tx.registryImports.get(id, { errors: 'all' }))!;
      const message: ImportMessage = { code: 'registry.import_interrupted', params: {} };
      let undo: { deleted: number; restored: number } | null = null;
      if ((await tx.registryImports.superseded(id, rec.ledger)) === null) {
        undo = await undoWrites(tx, id, rec.ledger, at, { id: null, name: 'system' });
        message.undone = true;
      } else message.undone = false;
      const counts: ImportCounts = { rowsTotal: Math.max(rec.rowsTotal, rec.rowsDone), rowsDone: rec.rowsDone, created: rec.created, updated: rec.updated, unchanged: rec.unchanged, failed: rec.failed };
      await tx.registryImports.finish(id, 'failed', at, counts, rec.errors, rec.changes, message);
      await tx.audit.append({
        at, actorId: null, actorName: 'system', action: 'registry.import.interrupted', entityType: 'registry_import', entityId: id, areaId: rec.areaId,
        diff: { ledger: rec.ledger, ...(undo ?? {}), undone: message.undone }, ip: null, requestId: null,
      });
    }
    return ids.length;
  });
}

// ── Reading imports ───────────────────────────────────────────────────────────

/** An import the actor may see (registry.import on its area), with its first 200 error rows and changes — or all of them. */
export async function getImport(deps: RegistryDeps, actor: Actor, importId: string, errors: 'head' | 'all' = 'head'): Promise<ImportRecord> {
  await recoverInterrupted(deps);
  const rec = await deps.store.registryImports.get(importId, { errors });
  if (!rec) throw notFound('registry.import_not_found');
  authorize(actor, 'registry.import', rec.areaPath, 'registry.import_not_found');
  return rec;
}

/** The imports in the actor's import scope, newest first (without their error rows: see getImport). */
export async function listImports(deps: RegistryDeps, actor: Actor, ledger?: LedgerKey): Promise<ImportRecord[]> {
  const scope = requireSomewhere(actor, 'registry.import');
  await recoverInterrupted(deps);
  return deps.store.registryImports.list(scope, ledger, 100);
}

// ── Templates and exports ─────────────────────────────────────────────────────

/** The code tables a template's dropdowns list (for anyone who reads the registry somewhere). */
export async function templateDicts(deps: RegistryDeps, actor: Actor): Promise<DictTable[]> {
  requireSomewhere(actor, 'registry.read');
  return (await deps.dicts.get(deps.store, deps.clock.now().getTime())).tables;
}

/**
 * A filtered list for an .xlsx export: checks the area and filters (errors before anything is
 * streamed), writes the audit row with the row count, and hands back the records in pages.
 */
export async function exportRecords(
  deps: RegistryDeps, actor: Actor, ledger: LedgerKey, q: { areaId?: string | undefined; q?: string | undefined } & Record<string, unknown>,
): Promise<{ total: number; pages: AsyncIterable<StoredRecord[]>; dicts: DictTable[] }> {
  const first = await listRecords(deps, actor, ledger, { ...q, page: 1, pageSize: 1 });
  const pages = await scanRecords(deps, actor, ledger, q);
  const filters = Object.fromEntries(Object.entries(q).filter(([k, v]) => (k.startsWith('f.') || k === 'q' || k === 'areaId') && v !== undefined && v !== ''));
  await deps.store.audit.append({
    at: deps.clock.now(), actorId: actor.userId, actorName: actor.username, action: 'registry.exported', entityType: ledger, entityId: null,
    areaId: q.areaId ?? null, diff: { rows: first.total, filters }, ip: actor.ip, requestId: actor.requestId,
  });
  const dicts = (await deps.dicts.get(deps.store, deps.clock.now().getTime())).tables;
  return { total: first.total, pages, dicts };
}
