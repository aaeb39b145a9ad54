import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  errorMessage, LEDGER_SPECS, type DictTable, type ErrorCode, type FieldSpec, type LedgerKey, type Locale, type RegistrySummary, type Text,
} from '@wangge/contracts';
import {
  isDomainError, registryImport, type Cell, type ErrorParam, type ImportErrorRow, type ImportProblem, type ImportSource, type SourceRow, type StoredRecord,
} from '@wangge/core';
import { openXlsxSheet, peekEntry, zipDirectory, type XlsxRow, type XlsxSheetInfo } from '../xlsx/xlsx-reader.ts';

/**
 * The registry's files: reading an import (xlsx through our streaming reader, xlsx/xlsx-reader.ts;
 * CSV through our own reader in UTF-8 or GB18030) and writing the workbooks (template, export, error report,
 * summary) with exceljs' streaming writer — a 200 MB file is never held in memory.
 */

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const xlsxType = XLSX_MIME;

const { malformed } = registryImport;
const t = (zh: string, en: string): Text => ({ 'zh-CN': zh, en });

// ── Wording ───────────────────────────────────────────────────────────────────

const wordParams = (params: Record<string, ErrorParam>, l: Locale): Record<string, string | number> =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'object' ? v[l] : v]));

/** A stored problem (code + parameters) in the reader's language. */
export const wordProblem = (p: { code: ErrorCode; params: Record<string, ErrorParam> }, l: Locale) => errorMessage(p.code, l, wordParams(p.params, l));

/** A field's column label. */
export function fieldLabel(ledger: LedgerKey, key: string, l: Locale): string {
  return LEDGER_SPECS[ledger].fields.find((f) => f.key === key)?.label[l] ?? key;
}

// ── What a file is ───────────────────────────────────────────────────────────

export type FileKind = 'xlsx' | 'csv';

/**
 * xlsx by its content (a zip), CSV by its name or type (or plain text without a name); anything
 * else, an old .xls included, is refused.
 */
export function sniffKind(first: Buffer, fileName: string, contentType: string | undefined): FileKind | null {
  if (first.length >= 4 && first.readUInt32LE(0) === 0x04034b50) return 'xlsx';
  if (first.length >= 8 && first.readUInt32LE(0) === 0xe011cfd0) return null; // OLE2: the old .xls
  const named = /\.csv$/i.test(fileName) || /\b(text\/csv|application\/csv|text\/plain)\b/i.test(contentType ?? '');
  const looksText = first.length > 0 && !first.subarray(0, 4096).includes(0) || (first[0] === 0xff && first[1] === 0xfe);
  if (named && looksText) return 'csv';
  if (!fileName && looksText && !/xlsx$/i.test(contentType ?? '')) return 'csv';
  return null;
}

// ── xlsx ──────────────────────────────────────────────────────────────────────

export interface XlsxFacts {
  /** Bytes of all entries once inflated (a zip bomb is refused before reading). */
  inflated: number;
  /** Data rows expected, from the sheet's dimension or its bytes per row. */
  rows: number | null;
}

/** Checks that a zip is a workbook and estimates its rows, reading only the directory and 64 KB of the largest sheet. */
export async function inspectXlsx(path: string): Promise<XlsxFacts> {
  const dir = await zipDirectory(path);
  if (!dir) throw malformed(t('不是有效的 xlsx 文件（压缩包损坏）', 'not a valid .xlsx file (the zip is damaged)'));
  if (!dir.some((e) => e.name === 'xl/workbook.xml')) throw malformed(t('不是 Excel 工作簿（请另存为 .xlsx 或 .csv）', 'not an Excel workbook (save it as .xlsx or .csv)'));
  const sheets = dir.filter((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name)).sort((a, b) => b.size - a.size);
  if (sheets.length === 0) throw malformed(t('工作簿中没有工作表', 'the workbook has no worksheet'));
  const inflated = dir.reduce((s, e) => s + e.size, 0);
  const big = sheets[0]!;
  const text = await peekEntry(path, big, 65_536);
  const dim = /<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"/.exec(text);
  let rows: number | null = dim ? Math.max(0, Number(dim[1]) - 1) : null;
  if (rows === null) {
    const starts = [...text.matchAll(/<row[\s>]/g)].map((m) => m.index!);
    if (starts.length >= 3) {
      const perRow = (starts.at(-1)! - starts[1]!) / (starts.length - 2);
      rows = Math.max(starts.length - 1, Math.round((big.size - starts[1]!) / perRow));
    } else rows = Math.max(0, starts.length - 1);
  }
  return { inflated, rows };
}

/** Our template's helper sheets, skipped when choosing the data sheet. */
const HELPER_SHEETS = new Set(['说明', 'Notes', '代码表', 'Codes']);

/** The sheet an import reads: the first visible one in tab order that is not a helper sheet (else the first that is not a helper). */
function importSheet(sheets: XlsxSheetInfo[]): number {
  const visible = sheets.findIndex((m) => m.state !== 'hidden' && m.state !== 'veryHidden' && !HELPER_SHEETS.has(m.name));
  return visible >= 0 ? visible : sheets.findIndex((m) => !HELPER_SHEETS.has(m.name));
}

/** Opens an xlsx for import (our own streaming reader, xlsx-reader.ts); the header is read here (errors before anything is written). */
export async function openXlsx(path: string, facts: XlsxFacts): Promise<ImportSource> {
  const fail = (e: unknown) => (isDomainError(e) ? e : malformed(t(`文件内容损坏（${(e as Error).message}）`, `the file is damaged (${(e as Error).message})`)));
  let groups: AsyncIterator<XlsxRow[]>;
  try {
    const sheet = await openXlsxSheet(path, importSheet);
    if (!sheet) throw malformed(t('工作簿中没有可导入的工作表', 'the workbook has no sheet to import'));
    groups = sheet.rows[Symbol.asyncIterator]();
  } catch (e) {
    throw fail(e);
  }
  let group: XlsxRow[] = [];
  let at = 0;
  const next = async (): Promise<XlsxRow | null> => {
    while (at >= group.length) {
      const g = await groups.next();
      if (g.done) return null;
      group = g.value;
      at = 0;
    }
    return group[at++]!;
  };
  let header: Cell[] | null = null;
  try {
    for (let r = await next(); r !== null; r = await next()) {
      if (r.cells.some((c) => c !== null && String(c).trim() !== '')) {
        header = r.cells;
        break;
      }
    }
  } catch (e) {
    await groups.return?.();
    throw fail(e);
  }
  if (!header) {
    await groups.return?.();
    throw malformed(t('工作表是空的', 'the sheet is empty'));
  }
  const width = header.length;
  return {
    header,
    estimate: () => facts.rows,
    rows: {
      async *[Symbol.asyncIterator](): AsyncGenerator<SourceRow> {
        try {
          for (let r = await next(); r !== null; r = await next()) {
            const c = r.cells;
            let cells: Cell[];
            if (c.length === width) cells = c;
            else {
              cells = new Array<Cell>(width);
              for (let i = 0; i < width; i++) cells[i] = i < c.length ? c[i]! : null;
            }
            yield { row: r.row, cells };
          }
        } catch (e) {
          throw fail(e);
        }
      },
    },
    close: async () => {
      await groups.return?.();
    },
  };
}

// ── CSV ───────────────────────────────────────────────────────────────────────

/** Opens a CSV for import: UTF-8 (with or without BOM), UTF-16 or GB18030, detected from its bytes; streamed. */
export async function openCsv(path: string): Promise<ImportSource> {
  const size = (await stat(path)).size;
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  const chunks = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let decoder: TextDecoder | null = null;
  let parser: InstanceType<typeof registryImport.CsvParser> | null = null;
  let recordNo = 0;
  let estimate: number | null = null;
  const pending: string[][] = [];
  let ended = false;
  /** Reads until at least one record is pending (or the file ends). */
  const fill = async () => {
    while (pending.length === 0 && !ended) {
      const c = await chunks.next();
      if (c.done) {
        if (decoder && parser) {
          parser.push(decoder.decode(), pending);
          parser.end(pending);
        }
        ended = true;
        break;
      }
      let chunk = c.value;
      if (!decoder) {
        const { encoding, bom } = registryImport.detectCsvEncoding(chunk);
        decoder = new TextDecoder(encoding);
        chunk = chunk.subarray(bom);
        const text = decoder.decode(chunk, { stream: true });
        parser = new registryImport.CsvParser(registryImport.detectDelimiter(text.slice(0, text.search(/[\r\n]|$/))));
        parser.push(text, pending);
        if (pending.length > 1) estimate = Math.max(0, Math.round((size / chunk.length) * pending.length) - 1);
        continue;
      }
      parser!.push(decoder.decode(chunk, { stream: true }), pending);
    }
  };
  const nextRecord = async (): Promise<string[] | null> => {
    await fill();
    const r = pending.shift();
    if (r === undefined) return null;
    recordNo++;
    return r;
  };
  let header: string[] | null = null;
  try {
    for (let r = await nextRecord(); r !== null; r = await nextRecord()) {
      if (r.some((c) => c.trim() !== '')) {
        header = r;
        break;
      }
    }
  } catch (e) {
    file.destroy();
    throw e;
  }
  if (!header) {
    file.destroy();
    throw malformed(t('文件是空的', 'the file is empty'));
  }
  const width = header.length;
  return {
    header,
    estimate: () => estimate,
    rows: {
      async *[Symbol.asyncIterator](): AsyncGenerator<SourceRow> {
        for (let r = await nextRecord(); r !== null; r = await nextRecord()) {
          const cells: Cell[] = r.length === width ? r : Array.from({ length: width }, (_, i) => r[i] ?? null);
          yield { row: recordNo, cells };
        }
      },
    },
    close: async () => {
      file.destroy();
    },
  };
}

// ── Writing ───────────────────────────────────────────────────────────────────

/** A streaming workbook whose bytes go to the returned stream; `done` commits it (errors destroy the stream). */
function streamingBook(): { wb: ExcelJS.stream.xlsx.WorkbookWriter; stream: PassThrough } {
  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  return { wb, stream };
}

const widthOf = (f: FieldSpec) => (f.type === 'idno' ? 22 : f.type === 'date' ? 12 : f.type === 'longtext' || (f.max ?? 0) >= 120 ? 30 : f.type === 'text' ? 16 : 12);
const textLike = (f: FieldSpec) => f.type === 'text' || f.type === 'longtext' || f.type === 'idno' || f.type === 'phone' || f.type === 'uscc' || f.type === 'ref' || f.type === 'code';

/** code table → code → label, in a language. */
function labelMaps(dicts: DictTable[], l: Locale): Map<string, Map<string, string>> {
  return new Map(dicts.map((d) => [d.name, new Map(d.items.map((i) => [i.code, l === 'en' ? i.labelEn : i.labelZh]))]));
}

const YES: Text = t('是', 'yes');
const NO: Text = t('否', 'no');
const TEMPLATE_ROWS = 10_000;

function colName(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

const typeNotes: Partial<Record<FieldSpec['type'], Text>> = {
  idno: t('18 位公民身份号码（其他证件照原样填写）；出生日期与性别可不填，由号码自动生成', '18-character resident ID number (other documents as written); date of birth and sex may be left empty: they come from the number'),
  phone: t('手机 11 位或带区号的固话', 'an 11-digit mobile or a landline with its area code'),
  date: t('日期，如 1990-03-07', 'a date, e.g. 1990-03-07'),
  int: t('整数', 'a whole number'),
  number: t('数字', 'a number'),
  bool: t('“是”或“否”', '“yes” or “no”'),
  lon: t('经度（度，如 107.03）', 'longitude in degrees (e.g. 107.03)'),
  lat: t('纬度（度，如 33.07）', 'latitude in degrees (e.g. 33.07)'),
  uscc: t('18 位统一社会信用代码', 'the 18-character unified social credit code'),
};

function noteOf(f: FieldSpec, l: Locale): string {
  if (f.type === 'code') return l === 'en' ? `pick from the list (sheet “Codes”, column ${f.dict}); the code itself is accepted too` : `从下拉列表选择（见「代码表」的 ${f.dict} 列），也可填代码`;
  if (f.type === 'ref') {
    const target = LEDGER_SPECS[f.ref!];
    const keys = registryImport.refKeysOf(f.ref!).map((k) => target.fields.find((x) => x.key === k)!.label[l]);
    return l === 'en'
      ? `the ${keys.join(' or ')} of the ${target.label.en.toLowerCase()} record (looked up in your area; it must be entered before)`
      : `填写${target.label['zh-CN']}的${keys.join('或')}（在您的管辖范围内查找，须先录入）`;
  }
  const base = typeNotes[f.type]?.[l] ?? (l === 'en' ? `text, at most ${f.max ?? 200} characters` : `文字，不超过 ${f.max ?? 200} 个字`);
  return base;
}

/**
 * The import template of a ledger: the header (field labels in the reader's language, required
 * ones marked * and red), dropdowns on code and yes/no columns from a hidden sheet of the code
 * tables, text-formatted ID and phone columns, and a notes sheet on every column.
 */
export function writeTemplate(ledger: LedgerKey, dicts: DictTable[], l: Locale): Readable {
  const spec = LEDGER_SPECS[ledger];
  const fields = registryImport.importFields(ledger);
  const { wb, stream } = streamingBook();
  const write = async () => {
    const data = wb.addWorksheet(spec.label[l].slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    data.columns = fields.map((f) => ({
      key: f.key, header: f.label[l] + (f.required ? ' *' : ''), width: widthOf(f),
      style: textLike(f) ? { numFmt: '@' } : f.type === 'date' ? { numFmt: 'yyyy-mm-dd' } : {},
    }));
    // The streaming writer has them (worksheet-writer.js) though exceljs' types do not say so.
    const validations = (data as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
    const head = data.getRow(1);
    fields.forEach((f, i) => {
      head.getCell(i + 1).font = { bold: true, color: { argb: f.required ? 'FFC00000' : 'FF000000' } };
    });
    const used = [...new Set(fields.filter((f) => f.type === 'code').map((f) => f.dict!))];
    const codeCol = new Map(used.map((d, i) => [d, colName(i + 1)]));
    const codesName = l === 'en' ? 'Codes' : '代码表';
    const sizes = new Map(used.map((d) => [d, dicts.find((x) => x.name === d)?.items.filter((i) => i.active).length ?? 0]));
    fields.forEach((f, i) => {
      const col = colName(i + 1);
      const range = `${col}2:${col}${TEMPLATE_ROWS + 1}`;
      if (f.type === 'code' && (sizes.get(f.dict!) ?? 0) > 0) {
        const c = codeCol.get(f.dict!)!;
        validations.add(range, {
          type: 'list', allowBlank: true, formulae: [`'${codesName}'!$${c}$2:$${c}$${sizes.get(f.dict!)! + 1}`],
          showErrorMessage: true, errorStyle: 'warning', error: l === 'en' ? 'Pick a value from the list' : '请从列表中选择',
        });
      } else if (f.type === 'bool') {
        validations.add(range, { type: 'list', allowBlank: true, formulae: [`"${YES[l]},${NO[l]}"`], showErrorMessage: true, errorStyle: 'warning' });
      }
    });
    head.commit();
    data.commit();

    const notes = wb.addWorksheet(l === 'en' ? 'Notes' : '说明');
    notes.columns = [{ key: 'a', width: 24 }, { key: 'b', width: 10 }, { key: 'c', width: 90 }];
    const match = spec.match.map((rule) => rule.map((k) => fieldLabel(ledger, k, l)).join(' + ')).join(l === 'en' ? ', else ' : '，其次 ');
    const intro = l === 'en'
      ? [`Template of ${spec.label.en}. Keep the header row; one record per row from row 2. Columns marked * are required.`,
        `Existing records are recognised by ${match} and updated (what changed is reported); others are added.`,
        'An empty cell keeps the value a record already has. Rows with errors are reported (row, column, reason) and the other rows are imported.',
        'Records without a parent record are placed in the area chosen for the import.']
      : [`${spec.label['zh-CN']}导入模板。请保留第一行表头，从第二行起每行一条记录；带 * 的列必须填写。`,
        `已有记录按「${match}」识别并更新（列出改动的字段），其余新增。`,
        '空白单元格不会清除已有记录中的值。有错误的行会列出（行号、列、原因），其余行照常导入。',
        '没有上级记录的行放入导入时选择的网格或社区。'];
    for (const line of intro) notes.addRow({ a: line }).commit();
    notes.addRow({}).commit();
    const h = notes.addRow({ a: l === 'en' ? 'Column' : '列', b: l === 'en' ? 'Required' : '必填', c: l === 'en' ? 'How to fill it' : '填写说明' });
    h.font = { bold: true };
    h.commit();
    for (const f of fields) notes.addRow({ a: f.label[l], b: f.required ? (l === 'en' ? 'yes' : '是') : '', c: noteOf(f, l) }).commit();
    notes.commit();

    const codes = wb.addWorksheet(codesName, { state: 'hidden' });
    codes.columns = used.map((d) => ({ key: d, header: d, width: 24 }));
    const lists = used.map((d) => (dicts.find((x) => x.name === d)?.items ?? []).filter((i) => i.active).map((i) => (l === 'en' ? i.labelEn : i.labelZh)));
    const longest = Math.max(0, ...lists.map((x) => x.length));
    for (let r = 0; r < longest; r++) codes.addRow(Object.fromEntries(used.map((d, i) => [d, lists[i]![r] ?? null]))).commit();
    codes.commit();
    await wb.commit();
  };
  write().catch((e: unknown) => stream.destroy(e as Error));
  return stream;
}

/** One record's cells as shown: codes as labels, yes/no, refs as titles, masked values as stored. */
function shownValue(f: FieldSpec, r: StoredRecord, labels: Map<string, Map<string, string>>, l: Locale): string | number | null {
  const v = r.values[f.key];
  if (f.type === 'ref') return r.refs[f.key] ?? null;
  if (v === null || v === undefined) return null;
  if (f.type === 'code') return labels.get(f.dict!)?.get(String(v)) ?? String(v);
  if (f.type === 'bool') return v ? YES[l] : NO[l];
  if (typeof v === 'number') return v;
  return String(v);
}

/** A filtered list as .xlsx: the grid, then every field (labels as the template's headers, so the file reads like one). */
export function writeExport(ledger: LedgerKey, pages: AsyncIterable<StoredRecord[]>, dicts: DictTable[], l: Locale): Readable {
  const spec = LEDGER_SPECS[ledger];
  const labels = labelMaps(dicts, l);
  const { wb, stream } = streamingBook();
  const write = async () => {
    const ws = wb.addWorksheet(spec.label[l].slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { key: '_grid', header: l === 'en' ? 'Grid' : '网格', width: 22 },
      ...spec.fields.map((f) => ({ key: f.key, header: f.label[l], width: widthOf(f) })),
    ];
    ws.getRow(1).font = { bold: true };
    for await (const page of pages) {
      for (const r of page) {
        const row: Record<string, string | number | null> = { _grid: r.gridName };
        for (const f of spec.fields) row[f.key] = shownValue(f, r, labels, l);
        ws.addRow(row).commit();
      }
    }
    ws.commit();
    await wb.commit();
  };
  write().catch((e: unknown) => stream.destroy(e as Error));
  return stream;
}

/**
 * The error report of an import: one line per row that was not imported — its row number, the
 * columns and the reasons — then its cells under the template's headers, so the report can be
 * corrected and imported again.
 */
export function writeErrors(ledger: LedgerKey, errorRows: ImportErrorRow[], l: Locale): Readable {
  const fields = registryImport.importFields(ledger);
  const { wb, stream } = streamingBook();
  const sep = l === 'en' ? '; ' : '；';
  const write = async () => {
    const ws = wb.addWorksheet(l === 'en' ? 'Errors' : '错误', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { key: '_row', header: l === 'en' ? 'Row' : '行号', width: 8 },
      { key: '_column', header: l === 'en' ? 'Column' : '列', width: 18 },
      { key: '_reason', header: l === 'en' ? 'Reason' : '原因', width: 50 },
      ...fields.map((f) => ({ key: f.key, header: f.label[l], width: widthOf(f), style: textLike(f) ? { numFmt: '@' } : {} })),
    ];
    ws.getRow(1).font = { bold: true };
    for (const e of errorRows) {
      const cols = [...new Set(e.problems.map((p: ImportProblem) => (p.field ? fieldLabel(ledger, p.field, l) : '')).filter((c) => c !== ''))];
      const row: Record<string, string | number | boolean | null> = { _row: e.row, _column: cols.join(l === 'en' ? ', ' : '、'), _reason: e.problems.map((p) => wordProblem(p, l)).join(sep) };
      for (const f of fields) row[f.key] = e.cells[f.key] ?? null;
      ws.addRow(row).commit();
    }
    ws.commit();
    await wb.commit();
  };
  write().catch((e: unknown) => stream.destroy(e as Error));
  return stream;
}

const GROUP_LABELS: Record<string, Text> = {
  population: t('人口', 'Population'), age: t('年龄段', 'Age bands'), households: t('户', 'Households'), houses: t('房屋', 'Houses'),
  organisations: t('组织', 'Organisations'), places: t('小区、楼栋与部件', 'Places and facilities'), care: t('重点服务对象', 'Care objects'), special: t('特殊人群', 'Special groups'),
};

/** 分类汇总 as a sheet: the area (total) and each child in rows, the figures in columns under their group. */
export function writeSummary(s: RegistrySummary, l: Locale): Readable {
  const { wb, stream } = streamingBook();
  const write = async () => {
    const ws = wb.addWorksheet(l === 'en' ? 'Summary' : '分类汇总', { views: [{ state: 'frozen', ySplit: 2, xSplit: 2 }] });
    ws.columns = [{ key: '_name', width: 24 }, { key: '_code', width: 16 }, ...s.figures.map((f) => ({ key: f.key, width: 11 }))];
    const groups: { group: string; from: number; to: number }[] = [];
    s.figures.forEach((f, i) => {
      const last = groups.at(-1);
      if (last && last.group === f.group) last.to = i;
      else groups.push({ group: f.group, from: i, to: i });
    });
    const top: Record<string, string> = { _name: l === 'en' ? 'Area' : '区域', _code: l === 'en' ? 'Code' : '编码' };
    for (const g of groups) top[s.figures[g.from]!.key] = GROUP_LABELS[g.group]?.[l] ?? g.group;
    const r1 = ws.addRow(top);
    r1.font = { bold: true };
    const second: Record<string, string> = {};
    for (const f of s.figures) second[f.key] = l === 'en' ? f.labelEn : f.labelZh;
    const r2 = ws.addRow(second);
    r2.font = { bold: true };
    ws.mergeCells('A1:A2');
    ws.mergeCells('B1:B2');
    for (const g of groups) if (g.to > g.from) ws.mergeCells(1, g.from + 3, 1, g.to + 3);
    r1.commit();
    r2.commit();
    const line = (row: RegistrySummary['area'], total: boolean) => {
      const out: Record<string, string | number> = { _name: total ? `${row.name}${l === 'en' ? ' (total)' : '（合计）'}` : row.name, _code: row.code };
      for (const f of s.figures) out[f.key] = row.values[f.key] ?? 0;
      const r = ws.addRow(out);
      if (total) r.font = { bold: true };
      r.commit();
    };
    line(s.area, true);
    for (const c of s.children) line(c, false);
    ws.commit();
    await wb.commit();
  };
  write().catch((e: unknown) => stream.destroy(e as Error));
  return stream;
}
