import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { checkDigit } from '@wangge/core';
import { rows } from '@wangge/db';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

/**
 * The Excel side of the registry through the HTTP API on a real database: templates, imports
 * (xlsx and CSV, UTF-8 and GB18030) with per-row errors, matching and updates, rollback, and
 * .xlsx exports. The app runs with a 1 MB import limit so that the 413 can be tested cheaply.
 */

let t: TestApp;
let community: Record<string, string>;
let gridId: string;
let communityId: string;
const GRID = '610702002001001';

/** A valid resident ID number of the demo district, born on `birth` (YYYYMMDD), sequence `seq` (odd = man). */
const idOf = (birth: string, seq: string) => {
  const first17 = `610702${birth}${seq}`;
  return first17 + checkDigit(first17);
};
const badCheck = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1');

beforeAll(async () => {
  t = await startTestApp({ REGISTRY_IMPORT_MAX_MB: '1', REGISTRY_IMPORT_BATCH: '50' });
  community = await t.login('community');
  gridId = await t.areaIdByCode(GRID);
  communityId = await t.areaIdByCode('610702002001');
});
afterAll(async () => t?.close());

const get = (url: string, headers = community) => t.app.inject({ method: 'GET', url, headers });
const count = async (table: string) => (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`))[0]!.n;

async function upload(ledger: string, body: Buffer | string, opts: { fileName?: string; type?: string; areaId?: string; headers?: Record<string, string> } = {}) {
  const qs = new URLSearchParams({ areaId: opts.areaId ?? gridId, ...(opts.fileName !== undefined ? { fileName: opts.fileName } : {}) });
  return t.app.inject({
    method: 'POST', url: `/api/registry/${ledger}/imports?${qs}`, payload: body,
    headers: { ...community, 'content-type': opts.type ?? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ...opts.headers },
  });
}

/** Polls an import until it is no longer running (what the console's progress bar does). */
async function finished(id: string, headers = community) {
  for (let i = 0; i < 600; i++) {
    const r = await get(`/api/registry/imports/${id}`, headers);
    expect(r.statusCode, r.body).toBe(200);
    if (r.json().status !== 'running') return r.json();
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`import ${id} did not finish`);
}

async function importFile(ledger: string, body: Buffer | string, opts: Parameters<typeof upload>[2] = {}) {
  const r = await upload(ledger, body, opts);
  expect(r.statusCode, r.body).toBe(202);
  expect(r.json().status).toBe('running');
  return finished(r.json().id);
}

const workbook = async (buf: Buffer) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  return wb;
};

/** The template of a ledger, filled with rows given by header label (or key), as a user would in Excel. */
async function filledTemplate(ledger: string, data: Record<string, unknown>[]): Promise<Buffer> {
  const res = await get(`/api/registry/${ledger}/template.xlsx`);
  expect(res.statusCode).toBe(200);
  const wb = await workbook(res.rawPayload);
  const ws = wb.worksheets[0]!;
  const headers = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? '').replace(/\s*\*$/, ''));
  data.forEach((d, i) => {
    const row = ws.getRow(i + 2);
    for (const [label, v] of Object.entries(d)) {
      const col = headers.indexOf(label);
      if (col < 1) throw new Error(`no column ${label} in the ${ledger} template`);
      row.getCell(col).value = v as ExcelJS.CellValue;
    }
    row.commit();
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function personsInGrid(): Promise<{ id: string; values: Record<string, unknown>; gridId: string; importId: string | null; version: number }[]> {
  const r = await get(`/api/registry/persons?areaId=${gridId}&pageSize=200`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items;
}

/** GB18030 bytes of a text: the code points are found by decoding the two-byte range (Node has a decoder, not an encoder). */
let gbTable: Map<string, Buffer> | null = null;
function gb18030(text: string): Buffer {
  if (!gbTable) {
    gbTable = new Map();
    const dec = new TextDecoder('gb18030');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(Uint8Array.from([a, b]));
        if (ch.length === 1 && !gbTable.has(ch)) gbTable.set(ch, Buffer.from([a, b]));
      }
    }
  }
  return Buffer.concat([...text].map((c) => (c.charCodeAt(0) < 0x80 ? Buffer.from(c) : gbTable!.get(c) ?? (() => { throw new Error(`no GB18030 code for ${c}`); })())));
}

describe('templates', () => {
  it('gives each ledger a template: labels in the reader’s language, required marked, dropdowns from a hidden code sheet, notes, no derived fields', async () => {
    const res = await get('/api/registry/persons/template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = await workbook(res.rawPayload);
    const [data, notes, codes] = wb.worksheets;
    const header = (data!.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['姓名 *', '证件类型', '证件号码']);
    expect(header).toContain('人口类型 *');
    expect(header).toContain('所属户');
    expect(codes!.state).toBe('hidden');
    const popCol = (codes!.getRow(1).values as unknown[]).indexOf('pop_type');
    expect(codes!.getRow(2).getCell(popCol).value).toBe('户籍人口');
    const popType = header.indexOf('人口类型 *') + 2;
    const dv = (data as unknown as { dataValidations: { model: Record<string, { type: string; formulae: string[] }> } }).dataValidations.model;
    // exceljs reads the range back cell by cell.
    const onPop = dv[`${String.fromCharCode(64 + popType - 1)}2`];
    expect(onPop).toMatchObject({ type: 'list' });
    expect(onPop!.formulae[0]).toContain('代码表');
    const noteText = notes!.getSheetValues().flat().map(String).join('\n');
    expect(noteText).toContain('户号');

    const households = await workbook((await get('/api/registry/households/template.xlsx?lang=en')).rawPayload);
    const hh = (households.worksheets[0]!.getRow(1).values as unknown[]).slice(1);
    expect(hh).toEqual(['Household number *', 'House', 'Kind', 'Address']); // 户主 and 人数 are derived
  });
});

describe('imports', () => {
  const head = idOf('19800101', '011');
  const wife = idOf('19820202', '022');
  const child = idOf('20100303', '031');
  let first: { id: string };

  it('imports a filled template: codes from labels, refs by title, ID numbers checked, birth date and sex derived', async () => {
    const hh = await importFile('households', await filledTemplate('households', [
      { 户号: 'HX001', 户别: '家庭户', 地址: '莲湖路 1 号' },
      { 户号: 'HX002', 户别: '集体户' },
    ]), { fileName: '户.xlsx' });
    expect(hh).toMatchObject({ status: 'done', created: 2, failed: 0, rowsDone: 2, rowsTotal: 2, fileName: '户.xlsx' });

    const file = await filledTemplate('persons', [
      { 姓名: '张建国', 证件号码: head, 人口类型: '户籍人口', 所属户: 'HX001', 与户主关系: '户主', 政治面貌: '中国共产党党员', 联系电话: '13800001111' },
      { 姓名: '李秀兰', 证件号码: wife, 人口类型: '户籍人口', 所属户: 'HX001', 与户主关系: '配偶', 学历: '大学本科' },
      { 姓名: '张小明', 证件号码: child, 人口类型: '1', 所属户: 'HX001', 与户主关系: '子' },
    ]);
    const before = await count('persons');
    first = await importFile('persons', file, { fileName: 'people.xlsx' });
    expect(first).toMatchObject({ status: 'done', created: 3, updated: 0, failed: 0, errors: [] });
    expect(await count('persons')).toBe(before + 3);
    const people = await personsInGrid();
    const zhang = people.find((p) => p.values.name === '张建国')!;
    expect(zhang.values).toMatchObject({ popType: '1', relation: '02', political: '01', sex: '1', birthDate: '1980-01-01', idNo: expect.stringMatching(/\*/) });
    expect(zhang.importId).toBe(first.id);
    const li = people.find((p) => p.values.name === '李秀兰')!;
    expect(li.values).toMatchObject({ sex: '2', birthDate: '1982-02-02', relation: '10' });
    const household = (await get(`/api/registry/households?areaId=${gridId}&q=HX001`)).json().items[0];
    expect(zhang.values.householdId).toBe(household.id);
    expect(zhang.gridId).toBe(household.gridId);
    // One audit row per batch, not per row.
    const [a] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'registry.import.batch' AND entity_id = ${first.id}`);
    expect(a!.n).toBe(1);
  });

  it('matches the same file again (no duplicates) and reports what changed on a changed row', async () => {
    const before = await count('persons');
    const same = await filledTemplate('persons', [
      { 姓名: '张建国', 证件号码: head, 人口类型: '户籍人口', 所属户: 'HX001', 与户主关系: '户主', 政治面貌: '中国共产党党员', 联系电话: '13800001111' },
      { 姓名: '李秀兰', 证件号码: wife, 人口类型: '户籍人口', 所属户: 'HX001', 与户主关系: '配偶', 学历: '大学本科' },
      { 姓名: '张小明', 证件号码: child, 人口类型: '1', 所属户: 'HX001', 与户主关系: '子' },
    ]);
    const again = await importFile('persons', same);
    expect(again).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 3, failed: 0 });
    expect(await count('persons')).toBe(before);

    // Changed: the wife's education and phone; the child's row matched by name + birth date + household (no ID number given).
    const changed = await filledTemplate('persons', [
      { 姓名: '李秀兰', 证件号码: wife, 人口类型: '户籍人口', 所属户: 'HX001', 与户主关系: '配偶', 学历: '研究生', 联系电话: '13900002222' },
      { 姓名: '张小明', 出生日期: '2010-03-03', 人口类型: '1', 所属户: 'HX001', 民族: '汉族' },
    ]);
    const upd = await importFile('persons', changed);
    expect(upd).toMatchObject({ status: 'done', created: 0, updated: 2, unchanged: 0 });
    expect(await count('persons')).toBe(before);
    const li = upd.changes.find((c: { title: string }) => c.title === '李秀兰');
    expect(li.fields.sort()).toEqual(['education', 'phone']);
    expect(upd.changes.find((c: { title: string }) => c.title === '张小明').fields).toEqual(['ethnicity']);
    const person = (await personsInGrid()).find((p) => p.values.name === '李秀兰')!;
    expect(person.values.education).toBe('10');
    const h = (await get(`/api/registry/persons/${person.id}/history`)).json();
    expect(h.items[0]).toMatchObject({ action: 'update', importId: upd.id, changes: { education: ['20', '10'], phone: [null, '139****2222'] } });
  });

  it('reports bad rows (row, column, reason) and imports the good ones', async () => {
    // Someone with this ID number lives in another community of the district, outside the importer's scope.
    const elsewhere = idOf('19750505', '055');
    const otherGrid = await t.areaIdByCode('610702002003001');
    const [other] = await rows<{ district_id: string }>(t.database.db, sql`SELECT district_id::text FROM areas WHERE id = ${Number(otherGrid)}`);
    await t.store.registry.insert('persons', [{ gridId: otherGrid, districtId: other!.district_id, values: { name: '王外人', popType: '1', idNo: elsewhere } }], t.clock.now(), null);

    const ok1 = idOf('19910101', '111');
    const ok2 = idOf('19920202', '121');
    const dup = idOf('19930303', '131');
    const file = await filledTemplate('persons', [
      { 姓名: '错校验', 证件号码: badCheck(idOf('19900101', '011')), 人口类型: '户籍人口' }, // row 2
      { 姓名: '错日期', 出生日期: '1990-02-30', 人口类型: '户籍人口' }, // row 3
      { 姓名: '错代码', 人口类型: '外星人' }, // row 4
      { 姓名: '重复甲', 证件号码: dup, 人口类型: '流动人口' }, // row 5
      { 姓名: '重复乙', 证件号码: dup, 人口类型: '流动人口' }, // row 6: same ID as row 5
      { 姓名: '区内重', 证件号码: elsewhere, 人口类型: '户籍人口' }, // row 7: ID taken in the district
      { 姓名: '第二户主', 证件号码: ok2, 人口类型: '户籍人口', 所属户: 'HX001', 与户主关系: '户主' }, // row 8: HX001 has a head
      { 姓名: '未知户', 人口类型: '户籍人口', 所属户: 'NOPE' }, // row 9
      { 姓名: '好人', 证件号码: ok1, 人口类型: '流动人口' }, // row 10
    ]);
    const before = await count('persons');
    const r = await importFile('persons', file);
    expect(r).toMatchObject({ status: 'done', created: 2, failed: 7, rowsDone: 9 });
    expect(await count('persons')).toBe(before + 2);
    const byRow = Object.fromEntries(r.errors.map((e: { row: number }) => [e.row, e]));
    expect(byRow[2]).toMatchObject({ column: '证件号码', code: 'person.id_bad_check_digit' });
    expect(byRow[3]).toMatchObject({ column: '出生日期', code: 'registry.field_invalid' });
    expect(byRow[3].reason).toContain('有效日期');
    expect(byRow[4]).toMatchObject({ column: '人口类型', code: 'registry.code_unknown' });
    expect(byRow[4].reason).toContain('外星人');
    expect(byRow[5]).toBeUndefined();
    expect(byRow[6]).toMatchObject({ column: null, code: 'registry.import_row_duplicate', reason: '与第 5 行重复' });
    expect(byRow[7]).toMatchObject({ column: '证件号码', code: 'registry.duplicate_id' });
    expect(byRow[7].reason).toContain('王*');
    expect(byRow[7].reason).not.toContain('王外人');
    expect(byRow[8]).toMatchObject({ column: '与户主关系', code: 'registry.two_heads' });
    expect(byRow[8].reason).toContain('张建国');
    expect(byRow[9]).toMatchObject({ column: '所属户', code: 'registry.ref_not_found' });
    const names = (await personsInGrid()).map((p) => p.values.name);
    expect(names).toEqual(expect.arrayContaining(['重复甲', '好人']));
    expect(names).not.toContain('重复乙');

    // The reasons in the reader's language.
    const en = (await get(`/api/registry/imports/${r.id}`, { ...community, 'accept-language': 'en' })).json();
    expect(en.errors.find((e: { row: number }) => e.row === 2)).toMatchObject({ column: 'ID number' });
    expect(en.errors.find((e: { row: number }) => e.row === 6).reason).toBe('Same record as row 5');

    // The full report: one line per refused row with its cells, under the template's headers.
    const rep = await get(`/api/registry/imports/${r.id}/errors.xlsx`);
    expect(rep.statusCode).toBe(200);
    const ws = (await workbook(rep.rawPayload)).worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['行号', '列', '原因', '姓名 *'.replace(' *', '')]);
    expect(ws.rowCount).toBe(1 + 7);
    const line = ws.getRow(4).values as unknown[];
    expect(line[1]).toBe(4);
    expect(line[2]).toBe('人口类型');
    expect(String(line[3])).toContain('外星人');
    expect(line[4]).toBe('错代码');
  });

  it('reads CSV in GB18030 (as Excel in China saves it) and in UTF-8 with a BOM, by labels or field keys', async () => {
    const gbId = idOf('19880808', '081');
    const csv = `姓名,证件号码,人口类型,现住址\r\n国标人,${gbId},流动人口,"莲湖路 8 号, 2 楼"\r\n`;
    const gb = await importFile('persons', gb18030(csv), { fileName: 'gb.csv', type: 'text/csv' });
    expect(gb).toMatchObject({ status: 'done', created: 1, failed: 0 });
    const p = (await personsInGrid()).find((x) => x.values.name === '国标人')!;
    expect(p.values).toMatchObject({ popType: '2', currentAddress: '莲湖路 8 号, 2 楼', birthDate: '1988-08-08' });

    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`name,popType,idNo\nUTF人,Floating population,${idOf('19870707', '071')}\n`)]);
    const u = await importFile('persons', bom, { fileName: 'keys.csv', type: 'application/vnd.ms-excel' });
    expect(u).toMatchObject({ status: 'done', created: 1, failed: 0 });
  });

  it('refuses a file that is not a spreadsheet, a damaged one, one over the size limit and one without the required columns — writing nothing', async () => {
    const imports = await count('registry_imports');
    const people = await count('persons');
    const garbage = await upload('persons', Buffer.from('this is not a workbook at all \u0000\u0001'), { fileName: 'x.xlsx' });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.code).toBe('registry.import_malformed');
    const good = await filledTemplate('persons', [{ 姓名: '截断', 人口类型: '户籍人口' }]);
    const cut = await upload('persons', good.subarray(0, Math.floor(good.length / 2)), { fileName: 'cut.xlsx' });
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error.code).toBe('registry.import_malformed');
    const xls = await upload('persons', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), { fileName: 'old.xls', type: 'application/vnd.ms-excel' });
    expect(xls.statusCode).toBe(400);

    const big = Buffer.alloc(1024 * 1024 + 10, 'a');
    const tooBig = await upload('persons', big, { fileName: 'big.csv', type: 'text/csv' });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error).toMatchObject({ code: 'registry.import_too_large' });
    expect(tooBig.json().error.message).toContain('1 MB');

    const noHeader = await upload('persons', `证件号码,联系电话\n${idOf('19800101', '991')},13800000000\n`, { fileName: 'h.csv', type: 'text/csv' });
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json().error.code).toBe('registry.import_header_missing');
    expect(noHeader.json().error.message).toContain('姓名、人口类型');

    const outside = await upload('persons', '姓名,人口类型\n甲,1\n', { fileName: 'o.csv', type: 'text/csv', areaId: await t.areaIdByCode('990101001001001') });
    expect(outside.statusCode).toBe(404);
    const worker = await t.login('gridworker');
    const forbidden = await upload('persons', '姓名,人口类型\n甲,1\n', { fileName: 'o.csv', type: 'text/csv', headers: worker });
    expect(forbidden.statusCode).toBe(403);

    expect(await count('registry_imports')).toBe(imports);
    expect(await count('persons')).toBe(people);
  });

  it('undoes an import that turns out unreadable half-way: nothing half-written', async () => {
    const people = await count('persons');
    // 120 good rows (three batches of 50), then a quote that never closes.
    const lines = Array.from({ length: 120 }, (_, i) => `半途${i},户籍人口`).join('\n');
    const r = await importFile('persons', `姓名,人口类型\n${lines}\n"坏,户籍人口\n`, { fileName: 'half.csv', type: 'text/csv' });
    expect(r.status).toBe('failed');
    expect(r.message).toContain('未闭合的引号');
    expect(r.message).toContain('已全部撤销');
    expect(await count('persons')).toBe(people);
    // It had written batches before the bad line was reached.
    const [a] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'registry.import.batch' AND entity_id = ${r.id}`);
    expect(a!.n).toBeGreaterThanOrEqual(2);
  });

  it('undoes and fails an import whose server died mid-way (left running, silent for minutes), when imports are next read', async () => {
    const people = await count('persons');
    const lines = Array.from({ length: 60 }, (_, i) => `中断${i},户籍人口`).join('\n');
    const r = await importFile('persons', `姓名,人口类型\n${lines}\n`, { fileName: 'crash.csv', type: 'text/csv' });
    expect(r.status).toBe('done');
    expect(await count('persons')).toBe(people + 60);
    // As a crash leaves it: batches committed, the import still 'running', no sign of life since.
    await t.database.db.execute(sql`UPDATE registry_imports SET status = 'running', finished_at = NULL, heartbeat_at = now() - interval '6 minutes' WHERE id = ${r.id}::uuid`);
    const live = await get(`/api/registry/imports/${r.id}`);
    expect(live.json().status).toBe('failed');
    expect(live.json().message).toContain('中断');
    expect(live.json().message).toContain('已全部撤销');
    expect(await count('persons')).toBe(people);
    const [audited] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'registry.import.interrupted' AND entity_id = ${r.id}`);
    expect(audited!.n).toBe(1);
    // Reading again changes nothing more.
    expect((await get(`/api/registry/imports/${r.id}`)).json().status).toBe('failed');
    // Had its server been alive after all, its next batch and its end are refused: it cannot come back as 'done'.
    const counts = { rowsTotal: 60, rowsDone: 60, created: 60, updated: 0, unchanged: 0, failed: 0 };
    expect(await t.store.registryImports.progress(r.id, counts)).toBe(false);
    expect(await t.store.registryImports.finish(r.id, 'done', new Date(), counts, [], [], null)).toBe(false);
    expect((await get(`/api/registry/imports/${r.id}`)).json().status).toBe('failed');
  });

  it('leaves a running import with a recent heartbeat alone', async () => {
    const r = await importFile('persons', `姓名,人口类型\n活着,户籍人口\n`, { fileName: 'alive.csv', type: 'text/csv' });
    await t.database.db.execute(sql`UPDATE registry_imports SET status = 'running', finished_at = NULL, heartbeat_at = now() - interval '1 minute' WHERE id = ${r.id}::uuid`);
    expect((await get(`/api/registry/imports/${r.id}`)).json().status).toBe('running');
    await t.database.db.execute(sql`UPDATE registry_imports SET status = 'done', finished_at = now() WHERE id = ${r.id}::uuid`);
  });
});

describe('rollback', () => {
  it('deletes what an import created and restores what it updated; the live figures follow', async () => {
    const summary = async () => (await get(`/api/registry/summary?areaId=${communityId}`)).json().area.values;
    const before = { people: await count('persons'), figures: await summary() };
    const target = (await personsInGrid()).find((p) => p.values.name === '好人')!;
    const file = await filledTemplate('persons', [
      { 姓名: '撤销甲', 证件号码: idOf('19700101', '201'), 人口类型: '户籍人口', 政治面貌: '中国共产党党员' },
      { 姓名: '撤销乙', 证件号码: idOf('19700202', '212'), 人口类型: '流动人口' },
      { 姓名: '好人', 证件号码: idOf('19910101', '111'), 人口类型: '户籍人口', 学历: '博士研究生毕业' },
    ]);
    const imp = await importFile('persons', file);
    expect(imp).toMatchObject({ status: 'done', created: 2, updated: 1 });
    const during = await summary();
    expect(during.people).toBe(before.figures.people + 2);
    expect(during.party).toBe(before.figures.party + 1);
    expect(during['pop:2']).toBe(before.figures['pop:2'] - 1 + 1);

    const rb = await t.app.inject({ method: 'POST', url: `/api/registry/imports/${imp.id}/rollback`, headers: community });
    expect(rb.statusCode, rb.body).toBe(200);
    expect(rb.json().status).toBe('rolled_back');
    expect(await count('persons')).toBe(before.people);
    expect(await summary()).toEqual(before.figures);
    const restored = (await get(`/api/registry/persons/${target.id}`)).json();
    expect(restored.values).toMatchObject({ popType: '2', education: null });
    expect(restored.version).toBe(target.version + 2);
    const h = (await get(`/api/registry/persons/${target.id}/history`)).json();
    expect(h.items[0]).toMatchObject({ action: 'restore', importId: imp.id, changes: { popType: ['1', '2'] } });

    const twice = await t.app.inject({ method: 'POST', url: `/api/registry/imports/${imp.id}/rollback`, headers: community });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('registry.import_not_rollbackable');
  });

  it('refuses to roll back an import whose records were changed since', async () => {
    const imp = await importFile('persons', `姓名,人口类型\n后改者,户籍人口\n`, { fileName: 'later.csv', type: 'text/csv' });
    expect(imp.created).toBe(1);
    const p = (await personsInGrid()).find((x) => x.values.name === '后改者')!;
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/registry/persons/${p.id}`, headers: community, payload: { values: { workPlace: '区政府' }, version: p.version } });
    expect(edit.statusCode, edit.body).toBe(200);
    const rb = await t.app.inject({ method: 'POST', url: `/api/registry/imports/${imp.id}/rollback`, headers: community });
    expect(rb.statusCode).toBe(409);
    expect(rb.json().error).toMatchObject({ code: 'registry.import_superseded' });
    expect(rb.json().error.message).toContain('后改者');
    expect((await get(`/api/registry/persons/${p.id}`)).statusCode).toBe(200);
  });

  it('lists the actor’s imports', async () => {
    const r = await get('/api/registry/imports?ledger=persons');
    expect(r.statusCode).toBe(200);
    expect(r.json().items.length).toBeGreaterThan(3);
    expect(r.json().items.every((x: { ledger: string }) => x.ledger === 'persons')).toBe(true);
    const street = await t.login('street');
    expect((await get('/api/registry/imports', street)).json().items.length).toBeGreaterThanOrEqual(r.json().items.length);
  });
});

describe('exports', () => {
  it('exports a filtered list with exactly its rows, codes as labels and values masked, and audits it', async () => {
    const list = (await get(`/api/registry/persons?areaId=${gridId}&f.popType=2&pageSize=200`)).json();
    expect(list.total).toBeGreaterThan(1);
    const res = await get(`/api/registry/persons/export.xlsx?areaId=${gridId}&f.popType=${encodeURIComponent('流动人口')}&lang=zh-CN`);
    expect(res.statusCode, res.body).toBe(200);
    const ws = (await workbook(res.rawPayload)).worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 2)).toEqual(['网格', '姓名']);
    const nameCol = header.indexOf('姓名') + 1;
    const popCol = header.indexOf('人口类型') + 1;
    const idCol = header.indexOf('证件号码') + 1;
    const names: string[] = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      names.push(String(ws.getRow(r).getCell(nameCol).value));
      expect(ws.getRow(r).getCell(popCol).value).toBe('流动人口');
      const id = ws.getRow(r).getCell(idCol).value;
      if (id) expect(String(id)).toMatch(/\*/);
    }
    expect(names.sort()).toEqual(list.items.map((x: { values: { name: string } }) => x.values.name).sort());
    const [a] = await rows<{ diff: { rows: number } }>(t.database.db, sql`SELECT diff FROM audit_log WHERE action = 'registry.exported' ORDER BY id DESC LIMIT 1`);
    expect(a!.diff.rows).toBe(list.total);
  });

  it('exports the summary: the area and its children in rows, the figures in columns by group', async () => {
    const s = (await get(`/api/registry/summary?areaId=${communityId}`)).json();
    const res = await get(`/api/registry/summary.xlsx?areaId=${communityId}&lang=en`);
    expect(res.statusCode).toBe(200);
    const ws = (await workbook(res.rawPayload)).worksheets[0]!;
    expect(ws.getRow(1).getCell(3).value).toBe('Population');
    expect(ws.getRow(2).getCell(3).value).toBe('People');
    expect(ws.getRow(3).getCell(3).value).toBe(s.area.values.people);
    expect(ws.rowCount).toBe(3 + s.children.length);
  });
});
