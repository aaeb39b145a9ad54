import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeXml, isDateFormat, openXlsxSheet, parseRows, parseSharedStrings, XlsxError, type XlsxCell, type XlsxRow } from './xlsx-reader.ts';

const dir = mkdtempSync(join(os.tmpdir(), 'wangge-xlsx-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmp = (name: string) => join(dir, `${n++}-${name}`);

const first = (sheets: { name: string }[]) => (sheets.length > 0 ? 0 : -1);

async function readAll(path: string, choose: (s: { name: string; state: string | null }[]) => number = first): Promise<{ name: string; rows: XlsxRow[] }> {
  const sheet = await openXlsxSheet(path, choose);
  if (!sheet) throw new Error('no sheet');
  const rows: XlsxRow[] = [];
  for await (const g of sheet.rows) rows.push(...g);
  return { name: sheet.name, rows };
}

/** What exceljs' streaming reader gives for the first sheet, flattened the way the import reader did (rich text joined, formulas by result). */
function flat(v: unknown): XlsxCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
  if (Array.isArray(o.richText)) return o.richText.map((r) => r.text ?? '').join('');
  if ('formula' in o || 'sharedFormula' in o) return flat(o.result);
  if ('text' in o) return flat(o.text);
  return null;
}
async function viaExceljs(path: string): Promise<XlsxRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  const out: XlsxRow[] = [];
  for await (const ws of reader) {
    for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as unknown[];
      out.push({ row: row.number, cells: Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => flat(values[i + 1])) });
    }
    break;
  }
  return out;
}

/** A zip of the given parts (deflated), for hand-written workbooks. */
function zip(path: string, parts: Record<string, string>) {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(parts)) {
    const data = Buffer.from(text, 'utf8');
    const deflated = deflateRawSync(data);
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, deflated);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...locals, cd, end]));
}

const WB_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>`;
const workbookXml = (opts: { date1904?: boolean; sheets?: string } = {}) => `<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
${opts.date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>'}<sheets>${opts.sheets ?? '<sheet name="人口" sheetId="1" r:id="rId1"/>'}</sheets></workbook>`;
const STYLES = `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="177" formatCode="0.00&quot;元&quot;"/></numFmts>
<cellXfs count="6"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" fontId="0" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="177"/><xf numFmtId="31"/><xf numFmtId="49"/></cellXfs></styleSheet>`;
const sheetXml = (rows: string) => `<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C9"/><sheetData>${rows}</sheetData><rowBreaks count="1"><brk id="3"/></rowBreaks></worksheet>`;

describe('the streaming xlsx reader', () => {
  it('reads what exceljs writes exactly as exceljs reads it: shared or inline strings, numbers, dates, booleans, rich text, formulas, gaps', async () => {
    for (const useSharedStrings of [true, false]) {
      const path = tmp(`exceljs-${useSharedStrings}.xlsx`);
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings, useStyles: true });
      const ws = wb.addWorksheet('人口');
      ws.addRow(['姓名', '证件号码', '出生日期', '人数', '在住', '备注']).commit();
      ws.addRow(['张伟', '610702198001010011', new Date(Date.UTC(1980, 0, 1)), 3, true, 'a & b < c > "d" \'e\'']).commit();
      ws.addRow(['李娜', '', null, 2.5, false, { richText: [{ text: '加粗', font: { bold: true } }, { text: '普通' }] }]).commit();
      const r = ws.getRow(4);
      r.getCell(1).value = '王芳';
      r.getCell(4).value = { formula: 'D2+1', result: 4 };
      r.getCell(6).value = { formula: 'A2&"x"', result: '张伟x' };
      r.commit();
      ws.getRow(7).getCell(3).value = new Date(Date.UTC(2001, 11, 31));
      ws.getRow(7).commit();
      const d = ws.getRow(8);
      d.getCell(2).value = '1990-03-07';
      d.getCell(2).numFmt = 'yyyy-mm-dd';
      d.getCell(4).value = 32874;
      d.getCell(4).numFmt = 'yyyy"年"m"月"d"日"';
      d.getCell(5).value = 0.5;
      d.getCell(5).numFmt = '0.00%';
      d.commit();
      ws.commit();
      await wb.commit();
      const ours = (await readAll(path)).rows;
      const theirs = await viaExceljs(path);
      // Inline rich text: exceljs' reader keeps only the last run; every run is the text.
      if (!useSharedStrings) theirs[2]!.cells[5] = '加粗普通';
      expect(ours).toEqual(theirs);
      expect(ours[1]!.cells[2]).toEqual(new Date(Date.UTC(1980, 0, 1)));
      expect(ours[2]!.cells[5]).toBe('加粗普通');
      expect(ours[5]).toEqual({ row: 8, cells: [null, '1990-03-07', null, new Date(Date.UTC(1990, 0, 1)), 0.5] });
    }
  });

  it('reads many rows across inflate chunks, characters cut by a chunk end included (which exceljs garbles)', async () => {
    const path = tmp('big.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
    const ws = wb.addWorksheet('data');
    const data: XlsxCell[][] = [['a', 'b', 'c', 'd']];
    for (let i = 0; i < 8_000; i++) data.push([`名字${i % 977}`, i, `莲湖路 ${i} 号 &<>`, ...(i % 3 === 0 ? [] : [new Date(Date.UTC(1950, 0, 1 + i))])]);
    for (const r of data) ws.addRow(r).commit();
    ws.commit();
    await wb.commit();
    const ours = (await readAll(path)).rows;
    expect(ours).toEqual(data.map((cells, i) => ({ row: i + 1, cells })));
    // exceljs agrees on every row it does not garble (U+FFFD where a chunk cut a character).
    const theirs = await viaExceljs(path);
    const clean = theirs.map((r, i) => [r, i] as const).filter(([r]) => !r.cells.some((c) => typeof c === 'string' && c.includes('\uFFFD')));
    expect(clean.length).toBeGreaterThan(7_000);
    expect(clean.map(([, i]) => ours[i])).toEqual(clean.map(([r]) => r));
  });

  it('decodes entities once, joins inline rich-text runs, leaves out phonetic runs, and follows rows and cells without an r attribute', async () => {
    const path = tmp('hand.xlsx');
    zip(path, {
      '[Content_Types].xml': '<Types/>',
      'xl/workbook.xml': workbookXml(),
      'xl/_rels/workbook.xml.rels': WB_RELS,
      'xl/styles.xml': STYLES,
      'xl/sharedStrings.xml': `<sst count="4" uniqueCount="4"><si><t>A&amp;B &lt;&#x4E2D;&#22269;&gt;</t></si><si><r><rPr><b/></rPr><t xml:space="preserve">张 </t></r><r><t>伟</t></r></si>`
        + `<si><t>东京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si><si/></sst>`,
      'xl/worksheets/sheet1.xml': sheetXml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
        + '<row r="3" spans="1:3"><c t="s"><v>2</v></c><c t="inlineStr"><is><r><t>一</t></r><r><rPr><i/></rPr><t>二&amp;三</t></r></is></c><c t="s"><v>3</v></c></row>'
        + '<row><c r="B4" t="str"><f>A1</f><v>&amp;lt;x&gt;</v></c><c t="b"><v>1</v></c><c r="E4" t="e"><v>#N/A</v></c></row>'
        + '<row r="6"/>'
        + '<row r="7"><c r="A7" t="inlineStr"><is><t/></is></c><c r="B7"><v></v></c><c r="C7" t="d"><v>2020-02-29T00:00:00Z</v></c><c r="D7" s="5"><v>12</v></c></row>',
      ),
    });
    const { rows } = await readAll(path);
    expect(rows).toEqual([
      { row: 1, cells: ['A&B <中国>', null, '张 伟'] },
      { row: 3, cells: ['东京', '一二&三', null] },
      { row: 4, cells: [null, '&lt;x>', true, null, null] },
      { row: 6, cells: [] },
      { row: 7, cells: [null, null, new Date(Date.UTC(2020, 1, 29)), 12] },
    ]);
  });

  it('reads a t="d" date written without a zone as that date, whatever the server\'s time zone', async () => {
    const before = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai'; // UTC+8: read as local time, midnight would be the day before in UTC
    try {
      const path = tmp('tdate.xlsx');
      zip(path, {
        '[Content_Types].xml': '<Types/>',
        'xl/workbook.xml': workbookXml(),
        'xl/_rels/workbook.xml.rels': WB_RELS,
        'xl/styles.xml': STYLES,
        'xl/worksheets/sheet1.xml': sheetXml('<row r="1"><c r="A1" t="d"><v>1990-05-17T00:00:00</v></c><c r="B1" t="d"><v>1990-05-17</v></c><c r="C1" t="d"><v>1990-05-17T08:00:00+08:00</v></c></row>'),
      });
      const { rows } = await readAll(path);
      const may17 = new Date(Date.UTC(1990, 4, 17));
      expect(rows).toEqual([{ row: 1, cells: [may17, may17, may17] }]);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('reads date serials by the cell style (built-in, custom and East Asian formats) in the 1900 and the 1904 system', async () => {
    const rows = '<row r="1"><c r="A1" s="1"><v>29221</v></c><c r="B1" s="2"><v>29221.5</v></c><c r="C1" s="3"><v>29221</v></c><c r="D1" s="4"><v>29221</v></c><c r="E1"><v>29221</v></c><c r="F1" s="1"><f>NOW()</f><v>29221</v></c></row>';
    const p1900 = tmp('d1900.xlsx');
    zip(p1900, { 'xl/workbook.xml': workbookXml(), 'xl/_rels/workbook.xml.rels': WB_RELS, 'xl/styles.xml': STYLES, 'xl/worksheets/sheet1.xml': sheetXml(rows) });
    const d1980 = new Date(Date.UTC(1980, 0, 1));
    // A formula's result stays a number, as exceljs gives it.
    expect((await readAll(p1900)).rows[0]!.cells).toEqual([d1980, new Date(Date.UTC(1980, 0, 1, 12)), 29221, d1980, 29221, 29221]);
    const p1904 = tmp('d1904.xlsx');
    zip(p1904, { 'xl/workbook.xml': workbookXml({ date1904: true }), 'xl/_rels/workbook.xml.rels': WB_RELS, 'xl/styles.xml': STYLES, 'xl/worksheets/sheet1.xml': sheetXml(rows) });
    expect((await readAll(p1904)).rows[0]!.cells[0]).toEqual(new Date(Date.UTC(1984, 0, 2)));
    expect(isDateFormat('yyyy"年"m"月"d"日"')).toBe(true);
    expect(isDateFormat('0.00"元"')).toBe(false);
    expect(isDateFormat('[Red]0.00')).toBe(false);
    expect(isDateFormat('General')).toBe(false);
  });

  it('lets the caller choose among the sheets in tab order, with their states, and refuses what is not a workbook', async () => {
    const path = tmp('sheets.xlsx');
    zip(path, {
      'xl/workbook.xml': workbookXml({ sheets: '<sheet name="说明" sheetId="2" r:id="rId2"/><sheet name="A&amp;B" sheetId="1" state="hidden" r:id="rId1"/>' }),
      'xl/_rels/workbook.xml.rels': WB_RELS,
      'xl/worksheets/sheet1.xml': sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>one</t></is></c></row>'),
      'xl/worksheets/sheet2.xml': sheetXml('<row r="2"><c r="A2"><v>2</v></c></row>'),
    });
    const seen: { name: string; state: string | null }[][] = [];
    const hidden = await readAll(path, (s) => { seen.push(s); return 1; });
    expect(seen[0]).toEqual([{ name: '说明', state: null, path: 'xl/worksheets/sheet2.xml' }, { name: 'A&B', state: 'hidden', path: 'xl/worksheets/sheet1.xml' }]);
    expect(hidden).toEqual({ name: 'A&B', rows: [{ row: 1, cells: ['one'] }] });
    expect(await openXlsxSheet(path, () => -1)).toBeNull();

    const notZip = tmp('not.xlsx');
    writeFileSync(notZip, 'plain text, not a zip');
    await expect(openXlsxSheet(notZip, first)).rejects.toBeInstanceOf(XlsxError);
    const noWorkbook = tmp('nowb.xlsx');
    zip(noWorkbook, { 'word/document.xml': '<w:document/>' });
    await expect(openXlsxSheet(noWorkbook, first)).rejects.toThrow(/workbook/);
  });

  it('gives the same strings and rows whatever the chunks the text arrives in (cut inside a name, a tag, a character reference)', async () => {
    const sst = '<?xml version="1.0"?><sst count="3"><si><t>莲湖路 &amp; 1 号</t></si><si/><si><r><t>a</t></r><r><t>b&#x4e2d;</t></r></si></sst>';
    const sheet = sheetXml(Array.from({ length: 30 }, (_, i) => `<row r="${i + 2}" spans="1:3"><c r="A${i + 2}" t="s"><v>${i % 3}</v></c><c r="C${i + 2}" s="1"><v>${29221 + i}</v></c></row>`).join('') + '<row r="40"/>');
    const ctx = { shared: await parseSharedStrings([sst]), dates: [false, true], date1904: false };
    expect(ctx.shared).toEqual(['莲湖路 & 1 号', null, 'ab中']);
    const whole: XlsxRow[] = [];
    for await (const g of parseRows([sheet], ctx)) whole.push(...g);
    expect(whole.length).toBe(31);
    expect(whole[1]).toEqual({ row: 3, cells: [null, null, new Date(Date.UTC(1980, 0, 2))] });
    const pieces = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
    for (const size of [1, 2, 3, 5, 7, 64]) {
      expect(await parseSharedStrings(pieces(sst, size))).toEqual(ctx.shared);
      const got: XlsxRow[] = [];
      for await (const g of parseRows(pieces(sheet, size), ctx)) got.push(...g);
      expect(got).toEqual(whole);
    }
  });

  it('decodes the five XML entities and character references', () => {
    expect(decodeXml('&lt;&gt;&amp;&quot;&apos;&#65;&#x4e2d;&amp;amp; &unknown;')).toBe('<>&"\'A中&amp; &unknown;');
  });
});
