import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import {
  caseSourceLabels, caseStateLabels, closingKindLabels, priorityLabels, ratingLabels, supervisionLabels, type CaseListQuery, type Locale, type Text,
} from '@wangge/contracts';
import { cases, type Actor } from '@wangge/core';
import type { AppDeps } from '../app.ts';

const MAX_ROWS = 20_000;

const COLUMNS: Array<{ key: string; header: Text; width: number }> = [
  { key: 'no', header: { 'zh-CN': '事件编号', en: 'Case no.' }, width: 18 },
  { key: 'state', header: { 'zh-CN': '状态', en: 'State' }, width: 12 },
  { key: 'closing', header: { 'zh-CN': '办结类型', en: 'How it ended' }, width: 16 },
  { key: 'source', header: { 'zh-CN': '来源', en: 'Source' }, width: 12 },
  { key: 'category', header: { 'zh-CN': '分类', en: 'Category' }, width: 16 },
  { key: 'priority', header: { 'zh-CN': '紧急程度', en: 'Priority' }, width: 8 },
  { key: 'description', header: { 'zh-CN': '问题描述', en: 'Description' }, width: 40 },
  { key: 'address', header: { 'zh-CN': '地址', en: 'Address' }, width: 24 },
  { key: 'grid', header: { 'zh-CN': '网格', en: 'Grid' }, width: 20 },
  { key: 'owner', header: { 'zh-CN': '当前层级', en: 'Owning level' }, width: 16 },
  { key: 'unit', header: { 'zh-CN': '处置单位', en: 'Handling unit' }, width: 20 },
  { key: 'due', header: { 'zh-CN': '办理期限', en: 'Due' }, width: 17 },
  { key: 'supervision', header: { 'zh-CN': '督办', en: 'Supervision' }, width: 10 },
  { key: 'rating', header: { 'zh-CN': '评价', en: 'Rating' }, width: 10 },
  { key: 'reported', header: { 'zh-CN': '上报时间', en: 'Reported' }, width: 17 },
];

/** Streams a work queue (with its filters) as .xlsx in the reader's language; phone numbers are not in lists at all. */
export async function exportCases(deps: AppDeps, actor: Actor, query: CaseListQuery, reply: FastifyReply, l: Locale) {
  const fmt = (iso: string | null) => (iso ? cases.fmt(new Date(iso), deps.config.TIME_ZONE) : '');
  const first = await cases.list(deps.cases, actor, { ...query, page: 1, pageSize: 200 });
  await deps.store.audit.append({
    at: deps.clock.now(), actorId: actor.userId, actorName: actor.username, action: 'case.exported', entityType: 'case', entityId: null, areaId: query.areaId ?? null,
    diff: { queue: query.queue, rows: Math.min(first.total, MAX_ROWS) }, ip: actor.ip, requestId: actor.requestId,
  });
  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true });
  const ws = wb.addWorksheet(l === 'en' ? 'Cases' : '事件');
  ws.columns = COLUMNS.map((c) => ({ key: c.key, header: c.header[l], width: c.width }));
  ws.getRow(1).font = { bold: true };
  const write = async () => {
    let page = first;
    let written = 0;
    for (let p = 1; ; p++) {
      if (p > 1) page = await cases.list(deps.cases, actor, { ...query, page: p, pageSize: 200 });
      for (const c of page.items) {
        if (written >= MAX_ROWS) break;
        ws.addRow({
          no: c.no, state: caseStateLabels[c.state][l], closing: c.closingKind ? closingKindLabels[c.closingKind][l] : '', source: caseSourceLabels[c.source][l],
          category: c.categoryName, priority: priorityLabels[c.priority][l], description: c.description, address: c.address ?? '', grid: c.gridName ?? '',
          owner: c.ownerAreaName, unit: c.unitName ?? '', due: fmt(c.dueAt), supervision: supervisionLabels[c.supervision][l],
          rating: c.rating ? ratingLabels[c.rating][l] : '', reported: fmt(c.reportedAt),
        }).commit();
        written++;
      }
      if (page.items.length < 200 || written >= MAX_ROWS) break;
    }
    ws.commit();
    await wb.commit();
  };
  write().catch((e: unknown) => stream.destroy(e as Error));
  return reply
    .header('content-disposition', `attachment; filename="cases-${query.queue}.xlsx"`)
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .send(stream);
}
