import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { constants as zlibConstants, createInflateRaw, inflateRawSync } from 'node:zlib';

/**
 * A streaming reader of .xlsx sheets for imports, about ten times faster than exceljs' streaming
 * reader (which builds a SAX event, a Row, a Cell and a style model for every cell). An .xlsx is a
 * zip of XML files: the zip's central directory gives each entry's place; the shared strings, the
 * styles (which cell styles are dates) and the workbook (sheet names, states, the 1904 date system)
 * are read whole, and the chosen sheet is inflated as a stream (node:zlib) and scanned row by row
 * with indexOf — no XML tree, no events.
 *
 * Values are what exceljs' reader gives, flattened as the import engine wants them: shared and
 * inline strings as text (rich-text runs joined, phonetic runs <rPh> left out), numbers, booleans,
 * error cells as null, formulas by their cached result (text for t="str", else the number), and
 * numbers in a cell whose style is a date format as a Date (the serial as UTC midnight, 1904 system
 * included). Where exceljs loses data this reader does not: inline rich text keeps every run (exceljs
 * keeps the last), text is entity-decoded once (exceljs decodes t="str" twice), the East Asian
 * built-in date formats (27–36, 50–58: yyyy"年"m"月"d"日") count as dates, cells and rows without an
 * `r` attribute follow the previous one, and t="d" cells (ISO dates) are dates.
 * Writing workbooks stays with exceljs (registry.xlsx.ts).
 */

/** One cell: text, number, boolean, Date or empty. */
export type XlsxCell = string | number | boolean | Date | null;

export interface XlsxRow {
  /** The row number as the sheet shows it. */
  row: number;
  /** Cells by column, from column A; as long as the row's last cell (empty cells inside are null). */
  cells: XlsxCell[];
}

export interface ZipEntry { name: string; method: number; compressed: number; size: number; offset: number }

/** An unreadable workbook: the message says why (the caller words it for the user). */
export class XlsxError extends Error {}

// ── Zip ───────────────────────────────────────────────────────────────────────

/** The central directory of a zip: names and sizes without inflating anything (null when it is not a readable zip). */
export async function zipDirectory(path: string): Promise<ZipEntry[] | null> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 65_557);
    if (tailLen < 22) return null;
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) return null;
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset + cdSize > size) return null;
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const out: ZipEntry[] = [];
    for (let p = 0; p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50;) {
      const nameLen = cd.readUInt16LE(p + 28);
      out.push({
        name: cd.toString('utf8', p + 46, p + 46 + nameLen), method: cd.readUInt16LE(p + 10), compressed: cd.readUInt32LE(p + 20),
        size: cd.readUInt32LE(p + 24), offset: cd.readUInt32LE(p + 42),
      });
      p += 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    return out;
  } finally {
    await fh.close();
  }
}

/** Where an entry's compressed bytes start (after its local header). */
async function dataStart(path: string, e: ZipEntry): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const local = Buffer.alloc(30);
    const { bytesRead } = await fh.read(local, 0, 30, e.offset);
    if (bytesRead < 30 || local.readUInt32LE(0) !== 0x04034b50) throw new XlsxError(`the zip entry ${e.name} is damaged`);
    return e.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await fh.close();
  }
}

/** The first bytes of a zip entry, inflated ('' when unreadable). */
export async function peekEntry(path: string, e: ZipEntry, bytes: number): Promise<string> {
  try {
    const start = await dataStart(path, e);
    const fh = await open(path, 'r');
    try {
      const len = Math.min(e.compressed, bytes);
      const data = Buffer.alloc(len);
      await fh.read(data, 0, len, start);
      const out = e.method === 8 ? inflateRawSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : data;
      return out.subarray(0, bytes).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return '';
  }
}

/** An entry's text, inflated as a stream of chunks (UTF-8 decoded across chunk ends). */
async function* entryText(path: string, e: ZipEntry): AsyncGenerator<string> {
  if (e.method !== 0 && e.method !== 8) throw new XlsxError(`the zip entry ${e.name} uses an unsupported compression (${e.method})`);
  if (e.compressed === 0) return;
  const start = await dataStart(path, e);
  const file = createReadStream(path, { start, end: start + e.compressed - 1, highWaterMark: 256 * 1024 });
  const source = e.method === 8 ? file.pipe(createInflateRaw({ chunkSize: 256 * 1024 })) : file;
  file.on('error', (err) => source.destroy(err));
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const s = decoder.write(chunk);
      if (s) yield s;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  } finally {
    file.destroy();
    source.destroy();
  }
}

async function wholeText(path: string, e: ZipEntry): Promise<string> {
  let s = '';
  for await (const chunk of entryText(path, e)) s += chunk;
  return s;
}

// ── XML bits ──────────────────────────────────────────────────────────────────

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML character and entity references decoded (once). */
export function decodeXml(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY, (_, e: string) => {
    if (e.charCodeAt(0) !== 35) return NAMED[e]!;
    const cp = e.charCodeAt(1) === 120 ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  });
}

/** The value of an attribute in a start tag's text (`<c r="A1" t="s"`), decoded; null when absent. */
function attr(tag: string, name: string): string | null {
  let i = 0;
  for (;;) {
    i = tag.indexOf(name, i);
    if (i < 0) return null;
    const before = tag.charCodeAt(i - 1);
    let j = i + name.length;
    // The name must stand alone (` t=` not ` ht=`), then `=` and a quote, spaces allowed around `=`.
    if (before === 32 || before === 9 || before === 10 || before === 13) {
      while (tag.charCodeAt(j) === 32) j++;
      if (tag.charCodeAt(j) === 61) {
        j++;
        while (tag.charCodeAt(j) === 32) j++;
        const q = tag.charCodeAt(j);
        if (q === 34 || q === 39) {
          const end = tag.indexOf(q === 34 ? '"' : "'", j + 1);
          if (end < 0) return null;
          return decodeXml(tag.slice(j + 1, end));
        }
      }
    }
    i = j;
  }
}

/** Whether `<name` starts at i as that element (not `<rowBreaks` for `<row`). */
function isTag(s: string, i: number, nameLen: number): boolean {
  const c = s.charCodeAt(i + 1 + nameLen);
  return c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13;
}

/**
 * The text of a string item (<si> or <is>): every <t> joined, those inside phonetic runs (<rPh>)
 * left out; null when it has none.
 */
function itemText(whole: string, start: number, stop: number): string | null {
  // Searched within the item only: a search for something absent must not run through the rest of the chunk.
  const s = whole.slice(start, stop);
  const from = 0;
  const to = s.length;
  let out: string | null = null;
  let i = from;
  // Phonetic runs (rare): their ranges, found once, forward only.
  let ph = s.indexOf('<rPh', from);
  if (ph >= to) ph = -1;
  let phEnd = ph < 0 ? -1 : s.indexOf('</rPh>', ph);
  for (;;) {
    i = s.indexOf('<t', i);
    if (i < 0 || i >= to) return out;
    if (!isTag(s, i, 1)) {
      i += 2;
      continue;
    }
    const gt = s.indexOf('>', i);
    if (gt < 0 || gt >= to) return out;
    while (ph >= 0 && phEnd >= 0 && phEnd < i) {
      ph = s.indexOf('<rPh', phEnd);
      if (ph >= to) ph = -1;
      phEnd = ph < 0 ? -1 : s.indexOf('</rPh>', ph);
    }
    const inPhonetic = ph >= 0 && ph < i && (phEnd < 0 || phEnd > i);
    if (s.charCodeAt(gt - 1) === 47) {
      // <t/>: empty
      if (!inPhonetic) out ??= '';
      i = gt + 1;
      continue;
    }
    const end = s.indexOf('</t>', gt);
    if (end < 0 || end > to) return out;
    if (!inPhonetic) out = (out ?? '') + decodeXml(s.slice(gt + 1, end));
    i = end + 4;
  }
}

/** A string item's text, empty as null (as exceljs gives an empty shared string). */
function itemValue(s: string, from: number, to: number): string | null {
  const text = itemText(s, from, to);
  return text === '' ? null : text;
}

/** 'AB12' → 28 (1-based column); 0 when the reference has no letters. */
function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 97 || c > 122) break;
    n = n * 26 + (c - 96);
  }
  return n;
}

// ── Workbook parts ────────────────────────────────────────────────────────────

/**
 * Complete `<name …>…</name>` and `<name …/>` elements of an XML text that arrives in chunks:
 * `push` calls `each(text, start, gt, end)` for every element complete so far (`start` at its `<`,
 * `gt` at the end of its start tag, `end` at its end tag or -1 when self-closed) and keeps the rest
 * (an element, or its name, cut by the chunk's end) for the next chunk.
 */
export class ElementSplitter {
  private buf = '';
  private readonly open: string;
  private readonly close: string;
  constructor(name: string) {
    this.open = `<${name}`;
    this.close = `</${name}>`;
  }

  push(chunk: string, each: (text: string, start: number, gt: number, end: number) => void): void {
    const buf = this.buf + chunk;
    const len = this.open.length;
    let i = 0;
    for (;;) {
      const start = buf.indexOf(this.open, i);
      if (start < 0) {
        i = Math.max(i, buf.length - len); // may hold the start of a cut name
        break;
      }
      if (start + len >= buf.length) {
        i = start; // the character after the name is not here yet
        break;
      }
      if (!isTag(buf, start, len - 1)) {
        i = start + len;
        continue;
      }
      const gt = buf.indexOf('>', start);
      if (gt < 0) {
        i = start;
        break;
      }
      if (buf.charCodeAt(gt - 1) === 47) {
        each(buf, start, gt, -1);
        i = gt + 1;
        continue;
      }
      const end = buf.indexOf(this.close, gt);
      if (end < 0) {
        i = start;
        break;
      }
      each(buf, start, gt, end);
      i = end + this.close.length;
    }
    this.buf = buf.slice(i);
  }
}

/** Shared strings (xl/sharedStrings.xml) in order, from its text in chunks: rich text joined, empty ones null. */
export async function parseSharedStrings(chunks: AsyncIterable<string> | Iterable<string>): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  const split = new ElementSplitter('si');
  const each = (text: string, _start: number, gt: number, end: number) => out.push(end < 0 ? null : itemValue(text, gt, end));
  for await (const chunk of chunks) split.push(chunk, each);
  return out;
}

/** Excel's built-in number formats that show dates or times: exceljs' (14–22, 45–47) and the East Asian ones (27–36, 50–58). */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a number format code shows a date or time (exceljs' rule: y m d h s b outside quotes and brackets). */
export function isDateFormat(code: string): boolean {
  return /[ymdhMsb]+/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** For each cell style index (cellXfs), whether it formats numbers as dates. */
function dateStyles(styles: string): boolean[] {
  const custom = new Map<number, string>();
  const fmts = /<numFmts[\s>][\s\S]*?<\/numFmts>/.exec(styles)?.[0] ?? '';
  for (const m of fmts.matchAll(/<numFmt\s[^>]*>/g)) {
    const id = Number(attr(m[0], 'numFmtId'));
    const code = attr(m[0], 'formatCode');
    if (Number.isInteger(id) && code !== null) custom.set(id, code);
  }
  const xfs = /<cellXfs[\s>][\s\S]*?<\/cellXfs>/.exec(styles)?.[0] ?? '';
  const out: boolean[] = [];
  for (const m of xfs.matchAll(/<xf[\s/>][^>]*>/g)) {
    const id = Number(attr(m[0], 'numFmtId') ?? 0);
    const code = custom.get(id);
    out.push(code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id));
  }
  return out;
}

export interface XlsxSheetInfo { name: string; state: string | null; path: string }

/** The workbook's sheets in tab order (with their part names) and whether it counts dates from 1904. */
function workbookOf(workbook: string, rels: string): { sheets: XlsxSheetInfo[]; date1904: boolean } {
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\s[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id === null || target === null) continue;
    targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`.replace(/\/\.\//g, '/'));
  }
  const sheets: XlsxSheetInfo[] = [];
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\s[^>]*>/g)) {
    const name = attr(m[0], 'name');
    const rid = attr(m[0], 'r:id') ?? /\s[\w]+:id\s*=\s*"([^"]*)"/.exec(m[0])?.[1] ?? null;
    const path = rid === null ? undefined : targets.get(rid);
    if (name === null || path === undefined) continue;
    sheets.push({ name, state: attr(m[0], 'state'), path });
  }
  const pr = /<(?:\w+:)?workbookPr\s[^>]*>/.exec(workbook)?.[0];
  const d = pr ? attr(pr, 'date1904') : null;
  return { sheets, date1904: d === '1' || d === 'true' };
}

// ── Rows ──────────────────────────────────────────────────────────────────────

const MS_PER_DAY = 86_400_000;

/** An Excel serial as a Date (UTC), the way exceljs converts it. */
export function excelSerialToDate(v: number, date1904: boolean): Date {
  return new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * MS_PER_DAY));
}

/** One <c> element (its start tag from `tag`, its content between `from` and `to`) as a value. */
function cellValue(whole: string, tag: string, start: number, stop: number, ctx: SheetContext): XlsxCell {
  // Searched within the cell only: a search for something absent must not run through the rest of the chunk.
  const s = whole.slice(start, stop);
  const from = 0;
  const to = s.length;
  const t = attr(tag, 't');
  if (t === 'inlineStr') {
    const is = s.indexOf('<is', from);
    return is >= 0 && is < to ? itemValue(s, is, to) : null;
  }
  const v0 = s.indexOf('<v', from);
  let v: string | null = null;
  if (v0 >= 0 && v0 < to && isTag(s, v0, 1)) {
    const gt = s.indexOf('>', v0);
    if (s.charCodeAt(gt - 1) !== 47) {
      const end = s.indexOf('</v>', gt);
      if (end >= 0 && end <= to) v = s.slice(gt + 1, end);
    }
  }
  const f = s.indexOf('<f', from);
  const formula = f >= 0 && f < to && isTag(s, f, 1);
  if (v === null) return null;
  if (formula) {
    if (t === 'str') return decodeXml(v);
    if (t === 'e') return null;
    const n = parseFloat(v);
    return Number.isNaN(n) ? null : n;
  }
  switch (t) {
    case 's': return ctx.shared[parseInt(v, 10)] ?? null;
    case 'str': return decodeXml(v);
    case 'b': return parseInt(v, 10) !== 0;
    case 'e': return null;
    case 'd': {
      // An ISO date or date-time; without a zone it is a wall-clock value, read as UTC like serial dates (not in the server's zone).
      const text = decodeXml(v).trim();
      const d = new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !/T/.test(text) ? text : text + 'Z');
      return Number.isNaN(d.getTime()) ? null : d;
    }
    default: {
      if (v === '') return null;
      const n = parseFloat(v);
      if (Number.isNaN(n)) return null;
      const style = attr(tag, 's');
      if (style !== null && ctx.dates[parseInt(style, 10)]) return excelSerialToDate(n, ctx.date1904);
      return n;
    }
  }
}

/** The cells of one <row> element's content. */
function rowCells(whole: string, start: number, stop: number, ctx: SheetContext): XlsxCell[] {
  const s = whole.slice(start, stop);
  const from = 0;
  const to = s.length;
  const cells: XlsxCell[] = [];
  let col = 0;
  let i = from;
  for (;;) {
    i = s.indexOf('<c', i);
    if (i < 0 || i >= to) break;
    if (!isTag(s, i, 1)) {
      i += 2;
      continue;
    }
    const gt = s.indexOf('>', i);
    const tag = s.slice(i, gt);
    const ref = attr(tag, 'r');
    const n = ref === null ? 0 : columnOf(ref);
    col = n > 0 ? n : col + 1;
    let value: XlsxCell = null;
    if (s.charCodeAt(gt - 1) === 47) i = gt + 1;
    else {
      const end = s.indexOf('</c>', gt);
      const stop = end < 0 || end > to ? to : end;
      value = cellValue(s, tag, gt + 1, stop, ctx);
      i = stop + 4;
    }
    while (cells.length < col - 1) cells.push(null);
    cells[col - 1] = value;
  }
  return cells;
}

export interface SheetContext {
  /** The shared strings. */
  shared: (string | null)[];
  /** Per cell style index: whether it shows numbers as dates. */
  dates: boolean[];
  date1904: boolean;
}

/** A sheet's rows from its XML text in chunks, in groups (one per chunk that completed rows). */
export async function* parseRows(chunks: AsyncIterable<string> | Iterable<string>, ctx: SheetContext): AsyncGenerator<XlsxRow[]> {
  const split = new ElementSplitter('row');
  let rowNo = 0;
  let out: XlsxRow[] = [];
  const each = (text: string, start: number, gt: number, end: number) => {
    const r = attr(text.slice(start, gt), 'r');
    const n = r === null ? NaN : parseInt(r, 10);
    rowNo = Number.isInteger(n) && n > 0 ? n : rowNo + 1;
    out.push({ row: rowNo, cells: end < 0 ? [] : rowCells(text, gt + 1, end, ctx) });
  };
  for await (const chunk of chunks) {
    split.push(chunk, each);
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
}

// ── Opening ───────────────────────────────────────────────────────────────────

export interface XlsxSheet {
  name: string;
  /** The sheet's rows in order, in groups as they are inflated. */
  rows: AsyncIterable<XlsxRow[]>;
}

/**
 * Opens a workbook and picks a sheet: `choose` gets the sheets in tab order and answers the index
 * of the one to read (or -1: none). Throws XlsxError when the file is not a readable workbook.
 */
export async function openXlsxSheet(path: string, choose: (sheets: XlsxSheetInfo[]) => number): Promise<XlsxSheet | null> {
  const dir = await zipDirectory(path);
  if (!dir) throw new XlsxError('the zip is damaged');
  const entry = (name: string) => dir.find((x) => x.name === name);
  const wb = entry('xl/workbook.xml');
  if (!wb) throw new XlsxError('no xl/workbook.xml: not an Excel workbook');
  const rels = entry('xl/_rels/workbook.xml.rels');
  const { sheets, date1904 } = workbookOf(await wholeText(path, wb), rels ? await wholeText(path, rels) : '');
  const present = sheets.filter((s) => entry(s.path));
  const k = choose(present);
  if (k < 0) return null;
  const sheet = present[k]!;
  const styles = entry('xl/styles.xml');
  const sharedXml = entry('xl/sharedStrings.xml');
  const ctx: SheetContext = {
    shared: sharedXml ? await parseSharedStrings(entryText(path, sharedXml)) : [],
    dates: styles ? dateStyles(await wholeText(path, styles)) : [],
    date1904,
  };
  return { name: sheet.name, rows: { [Symbol.asyncIterator]: () => parseRows(entryText(path, entry(sheet.path)!), ctx) } };
}
