import { z } from 'zod';
import { LOCALES, type Text } from './i18n.ts';
import { AreaId } from './areas.ts';

/**
 * Cases (事件/诉求/工单): the words of the flow and every request and response of the cases API.
 * Which transition may fire from which state, by whom and with what effect on the deadline is
 * decided in @wangge/core (cases/cases.machine.ts); the API publishes that table at /api/cases/flow.
 */

export const CASE_STATES = [
  'reported', 'accepted', 'escalated', 'council', 'dispatched', 'handling', 'extension_pending', 'returned',
  'handled', 'verified', 'closed', 'settled', 'shelved', 'refused', 'merged', 'evaluated',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const caseStateLabels: Record<CaseState, Text> = {
  reported: { 'zh-CN': '已上报', en: 'Reported' },
  accepted: { 'zh-CN': '已受理', en: 'Accepted' },
  escalated: { 'zh-CN': '已上报上级', en: 'Escalated' },
  council: { 'zh-CN': '议事协商中', en: 'At the council' },
  dispatched: { 'zh-CN': '已派遣', en: 'Dispatched' },
  handling: { 'zh-CN': '处置中', en: 'Being handled' },
  extension_pending: { 'zh-CN': '延期待审', en: 'Extension requested' },
  returned: { 'zh-CN': '已退单', en: 'Returned' },
  handled: { 'zh-CN': '已反馈', en: 'Handled' },
  verified: { 'zh-CN': '核查通过', en: 'Verified' },
  closed: { 'zh-CN': '已结案', en: 'Closed' },
  settled: { 'zh-CN': '就地解决', en: 'Settled on the spot' },
  shelved: { 'zh-CN': '挂账', en: 'Shelved (cannot be solved now)' },
  refused: { 'zh-CN': '不予受理', en: 'Refused' },
  merged: { 'zh-CN': '已合并', en: 'Merged as duplicate' },
  evaluated: { 'zh-CN': '已评价', en: 'Rated' },
};

/** How a closed case ended. Figures and residents see this, so "closed" is never shown as "solved" unless it was. */
export const CLOSING_KINDS = ['solved', 'settled_on_spot', 'shelved', 'refused', 'duplicate'] as const;
export type ClosingKind = (typeof CLOSING_KINDS)[number];
export const closingKindLabels: Record<ClosingKind, Text> = {
  solved: { 'zh-CN': '已解决', en: 'Solved' },
  settled_on_spot: { 'zh-CN': '就地解决', en: 'Settled on the spot' },
  shelved: { 'zh-CN': '挂账（暂不能解决）', en: 'Not solvable now (shelved)' },
  refused: { 'zh-CN': '不予受理', en: 'Refused' },
  duplicate: { 'zh-CN': '重复件（已合并）', en: 'Duplicate (merged)' },
};

export const CASE_ACTIONS = [
  'accept', 'refuse', 'dispatch', 'handle_here', 'convene', 'council_decide', 'escalate', 'shelve', 'unshelve', 'merge',
  'settle', 'receive', 'request_extension', 'approve_extension', 'deny_extension', 'return', 'feedback',
  'verify_pass', 'verify_fail', 'close', 'rate', 'reopen', 'supervise', 'correct_grid',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const caseActionLabels: Record<CaseAction | 'report', Text> = {
  report: { 'zh-CN': '上报', en: 'Report' },
  accept: { 'zh-CN': '受理', en: 'Accept' },
  refuse: { 'zh-CN': '不予受理', en: 'Refuse' },
  dispatch: { 'zh-CN': '派遣', en: 'Dispatch' },
  handle_here: { 'zh-CN': '本级办理', en: 'Handle at this level' },
  convene: { 'zh-CN': '提交议事会', en: 'Convene a council' },
  council_decide: { 'zh-CN': '议事决定', en: 'Record the council decision' },
  escalate: { 'zh-CN': '上报上级', en: 'Escalate' },
  shelve: { 'zh-CN': '挂账', en: 'Shelve' },
  unshelve: { 'zh-CN': '取消挂账', en: 'Take off the shelf' },
  merge: { 'zh-CN': '合并重复件', en: 'Merge as duplicate' },
  settle: { 'zh-CN': '就地解决', en: 'Settle on the spot' },
  receive: { 'zh-CN': '签收', en: 'Receive' },
  request_extension: { 'zh-CN': '申请延期', en: 'Request an extension' },
  approve_extension: { 'zh-CN': '同意延期', en: 'Approve the extension' },
  deny_extension: { 'zh-CN': '驳回延期', en: 'Deny the extension' },
  return: { 'zh-CN': '退单', en: 'Return (not ours)' },
  feedback: { 'zh-CN': '办结反馈', en: 'Report back' },
  verify_pass: { 'zh-CN': '核查通过', en: 'Verified on site' },
  verify_fail: { 'zh-CN': '核查不通过', en: 'Verification failed' },
  close: { 'zh-CN': '结案销号', en: 'Close' },
  rate: { 'zh-CN': '满意度评价', en: 'Rate' },
  reopen: { 'zh-CN': '重新办理', en: 'Reopen' },
  supervise: { 'zh-CN': '督办', en: 'Supervise' },
  correct_grid: { 'zh-CN': '更正网格', en: 'Correct the grid' },
};

export const CASE_SOURCES = ['grid_worker', 'resident', 'hotline', 'department', 'leader', 'video'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
export const caseSourceLabels: Record<CaseSource, Text> = {
  grid_worker: { 'zh-CN': '网格员巡查', en: 'Grid worker patrol' },
  resident: { 'zh-CN': '居民上报', en: 'Resident' },
  hotline: { 'zh-CN': '热线/窗口', en: 'Hotline / walk-in' },
  department: { 'zh-CN': '部门移交', en: 'Department' },
  leader: { 'zh-CN': '领导交办', en: 'Leader' },
  video: { 'zh-CN': '视频/物联感知', en: 'Video / IoT' },
};

export const PRIORITIES = ['urgent', 'high', 'normal'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const priorityLabels: Record<Priority, Text> = {
  urgent: { 'zh-CN': '紧急', en: 'Urgent' },
  high: { 'zh-CN': '较急', en: 'High' },
  normal: { 'zh-CN': '一般', en: 'Normal' },
};

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];
export const ratingLabels: Record<Rating, Text> = {
  satisfied: { 'zh-CN': '满意', en: 'Satisfied' },
  basically_satisfied: { 'zh-CN': '基本满意', en: 'Basically satisfied' },
  unsatisfied: { 'zh-CN': '不满意', en: 'Unsatisfied' },
};

export const SUPERVISION_LEVELS = ['none', 'due_soon', 'overdue'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];
export const supervisionLabels: Record<SupervisionLevel, Text> = {
  none: { 'zh-CN': '正常', en: 'On time' },
  due_soon: { 'zh-CN': '即将超时', en: 'Due soon' },
  overdue: { 'zh-CN': '已超时', en: 'Overdue' },
};

/** Fields a transition may need; which ones each transition requires is in the flow table. */
export const TRANSITION_FIELDS = ['reason', 'note', 'unitId', 'extension', 'targetCaseId', 'rating', 'gridId', 'attachmentIds'] as const;
export type TransitionField = (typeof TRANSITION_FIELDS)[number];

export const transitionFieldLabels: Record<TransitionField, Text> = {
  reason: { 'zh-CN': '原因', en: 'reason' },
  note: { 'zh-CN': '说明', en: 'note' },
  unitId: { 'zh-CN': '处置单位', en: 'handling unit' },
  extension: { 'zh-CN': '延期时长', en: 'extension' },
  targetCaseId: { 'zh-CN': '合并到的事件', en: 'case to merge into' },
  rating: { 'zh-CN': '满意度', en: 'rating' },
  gridId: { 'zh-CN': '网格', en: 'grid' },
  attachmentIds: { 'zh-CN': '附件', en: 'attachments' },
};

/** What a transition does to the deadline. */
export const DEADLINE_EFFECTS = ['none', 'start', 'pause_if_rule', 'resume', 'extend', 'stop', 'clear'] as const;
export type DeadlineEffect = (typeof DEADLINE_EFFECTS)[number];

// ── Shared pieces ─────────────────────────────────────────────────────────────

export const UuidParam = z.string().uuid();
export const CaseIdParams = z.strictObject({ id: UuidParam });
const LimitSchema = z.strictObject({ value: z.number().positive().max(10_000), unit: z.enum(['hours', 'days']) });
export type TimeLimitInput = z.infer<typeof LimitSchema>;
/** An extension asked for: at most 720 working hours or 90 working days. */
const ExtensionSchema = z.strictObject({ value: z.number().positive(), unit: z.enum(['hours', 'days']) })
  .refine((e) => (e.unit === 'hours' ? e.value <= 720 : e.value <= 90), 'at most 720 working hours or 90 working days');
const Lon = z.number().min(-180).max(180);
const Lat = z.number().min(-90).max(90);
const Phone = z.string().trim().regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/, 'phone');

// ── Categories ────────────────────────────────────────────────────────────────

export const EXTRA_FIELD_TYPES = ['text', 'number', 'select', 'bool'] as const;
export const ExtraField = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  labelZh: z.string().trim().min(1).max(40),
  labelEn: z.string().trim().min(1).max(60),
  type: z.enum(EXTRA_FIELD_TYPES),
  options: z.array(z.string().trim().min(1).max(40)).max(50).optional(),
  required: z.boolean().default(false),
});
export type ExtraField = z.infer<typeof ExtraField>;

export const CategoryView = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  code: z.string(),
  level: z.number().int(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  defaultUnitId: z.string().nullable(),
  defaultUnitName: z.string().nullable(),
  limitUnit: z.enum(['hours', 'days']),
  limits: z.record(z.enum(PRIORITIES), z.number()),
  verifyRequired: z.boolean(),
  pausePending: z.boolean(),
  extraFields: z.array(ExtraField),
  open311Code: z.string().nullable(),
  active: z.boolean(),
});
export type CategoryView = z.infer<typeof CategoryView>;

export const CategoryBody = z.strictObject({
  parentId: z.string().uuid().nullable().default(null),
  code: z.string().trim().regex(/^[0-9A-Za-z_-]{1,24}$/),
  nameZh: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().max(100).nullable().optional(),
  defaultUnitId: z.string().uuid().nullable().optional(),
  limitUnit: z.enum(['hours', 'days']),
  limits: z.strictObject({ urgent: z.number().positive().max(10_000), high: z.number().positive().max(10_000), normal: z.number().positive().max(10_000) }),
  verifyRequired: z.boolean().default(true),
  pausePending: z.boolean().default(true),
  extraFields: z.array(ExtraField).max(20).default([]),
  open311Code: z.string().trim().max(64).nullable().optional(),
  active: z.boolean().default(true),
});
export type CategoryBody = z.infer<typeof CategoryBody>;

/** An Open311 GeoReport v2 service list (GET services.json), imported as categories. */
export const Open311ServiceList = z.array(z.object({
  service_code: z.string().min(1).max(64),
  service_name: z.string().min(1).max(100),
  description: z.string().max(2000).optional().nullable(),
  metadata: z.union([z.boolean(), z.string()]).optional(),
  type: z.string().optional(),
  keywords: z.string().optional().nullable(),
  group: z.string().max(100).optional().nullable(),
}).passthrough()).min(1).max(2000);

// ── Handling units and routing ───────────────────────────────────────────────

export const UNIT_KINDS = ['department', 'area_office'] as const;
export const unitKindLabels: Record<(typeof UNIT_KINDS)[number], Text> = {
  department: { 'zh-CN': '职能部门', en: 'Department' },
  area_office: { 'zh-CN': '属地（社区/街道）', en: 'Local office (community/street)' },
};
export const UnitView = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  kind: z.enum(UNIT_KINDS),
  areaId: z.string(),
  areaName: z.string(),
  members: z.number().int(),
});
export type UnitView = z.infer<typeof UnitView>;

export const RoutingRuleView = z.object({
  id: z.string(),
  seq: z.number().int(),
  name: z.string(),
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  areaId: z.string().nullable(),
  areaName: z.string().nullable(),
  unitId: z.string(),
  unitName: z.string(),
  active: z.boolean(),
});
export type RoutingRuleView = z.infer<typeof RoutingRuleView>;
export const RoutingRuleBody = z.strictObject({
  seq: z.number().int().min(1).max(1_000_000),
  name: z.string().trim().min(1).max(80),
  categoryId: z.string().uuid().nullable(),
  areaId: AreaId.nullable(),
  unitId: z.string().uuid(),
  active: z.boolean().default(true),
});
export const RouteExplain = z.object({
  ruleId: z.string().nullable(),
  ruleName: z.string().nullable(),
  /** How the unit was chosen: a routing rule, the category's default unit, or nothing matched (the dispatcher decides). */
  via: z.enum(['rule', 'category_default', 'none']),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  checked: z.number().int(),
});
export type RouteExplain = z.infer<typeof RouteExplain>;

// ── Calendar ──────────────────────────────────────────────────────────────────

export const CalendarDay = z.object({ date: z.string(), workday: z.boolean(), name: z.string().nullable(), source: z.enum(['package', 'admin']) });
export const CalendarYear = z.object({
  year: z.number().int(),
  /** Whether the published schedule for the year is known (seeded from chinese-days or entered by an admin). */
  published: z.boolean(),
  days: z.array(CalendarDay),
  workingHours: z.string(),
  minutesPerDay: z.number().int(),
});
export const CalendarDayBody = z.strictObject({
  /** Years 2000–2100, the same range as GET /api/calendar/:year. */
  date: z.string().regex(/^(20\d\d|2100)-\d{2}-\d{2}$/),
  workday: z.boolean(),
  name: z.string().trim().max(40).nullable().default(null),
});

// ── Intake ────────────────────────────────────────────────────────────────────

export const CaseIntake = z.strictObject({
  source: z.enum(CASE_SOURCES),
  categoryId: z.string().uuid(),
  priority: z.enum(PRIORITIES).default('normal'),
  description: z.string().trim().min(2).max(4000),
  lon: Lon.optional(),
  lat: Lat.optional(),
  address: z.string().trim().max(200).optional(),
  buildingId: z.string().uuid().optional(),
  /** The grid the operator confirmed (near a boundary both sides are shown); else the located one. */
  gridId: AreaId.optional(),
  reporterName: z.string().trim().max(40).optional(),
  reporterPhone: Phone.optional(),
  extra: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).default({}),
  attachmentIds: z.array(z.string().uuid()).max(9).default([]),
  /** Dispatch at once to the routed unit (the desk's one-step intake); needs case.dispatch on the owning level. */
  dispatchNow: z.boolean().default(false),
  /** Settled by the reporting grid worker on the spot (就地解决), with the result in `note`. */
  settleNote: z.string().trim().min(2).max(2000).optional(),
});
export type CaseIntake = z.infer<typeof CaseIntake>;

export const SimilarQuery = z.strictObject({
  categoryId: z.string().uuid().optional(),
  lon: z.coerce.number().min(-180).max(180).optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  description: z.string().max(4000).optional(),
  excludeId: z.string().uuid().optional(),
});

export const SimilarCase = z.object({
  id: z.string(),
  no: z.string(),
  state: z.enum(CASE_STATES),
  categoryName: z.string(),
  description: z.string(),
  address: z.string().nullable(),
  reportedAt: z.string(),
  distanceM: z.number().nullable(),
  score: z.number(),
  reasons: z.array(z.enum(['near', 'recent', 'same_category', 'similar_text'])),
});

// ── Transitions ───────────────────────────────────────────────────────────────

export const TransitionBody = z.strictObject({
  action: z.enum(CASE_ACTIONS),
  /** The version the actor saw; a stale version answers 409 case.conflict and changes nothing. */
  version: z.number().int().min(1),
  reason: z.string().trim().min(2).max(2000).optional(),
  note: z.string().trim().min(1).max(4000).optional(),
  unitId: z.string().uuid().optional(),
  extension: ExtensionSchema.optional(),
  targetCaseId: z.string().uuid().optional(),
  rating: z.enum(RATINGS).optional(),
  gridId: AreaId.optional(),
  attachmentIds: z.array(z.string().uuid()).max(9).optional(),
});
export type TransitionBody = z.infer<typeof TransitionBody>;

export const FlowTransition = z.object({
  action: z.enum(CASE_ACTIONS),
  from: z.array(z.enum(CASE_STATES)),
  to: z.union([z.enum(CASE_STATES), z.literal('same')]),
  by: z.string(),
  requires: z.array(z.enum(TRANSITION_FIELDS)),
  optional: z.array(z.enum(TRANSITION_FIELDS)),
  deadline: z.enum(DEADLINE_EFFECTS),
  guard: z.string().nullable(),
  label: z.object({ 'zh-CN': z.string(), en: z.string() }),
});
export const FlowView = z.object({
  states: z.array(z.object({ state: z.enum(CASE_STATES), kind: z.enum(['open', 'closed']), closing: z.enum(CLOSING_KINDS).nullable(), label: z.object({ 'zh-CN': z.string(), en: z.string() }) })),
  transitions: z.array(FlowTransition),
});

// ── Views ─────────────────────────────────────────────────────────────────────

export const AttachmentView = z.object({
  id: z.string(),
  kind: z.enum(['image', 'audio']),
  mime: z.string(),
  size: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  url: z.string(),
  thumbUrl: z.string().nullable(),
  createdAt: z.string(),
});
export type AttachmentView = z.infer<typeof AttachmentView>;

export const CaseEventView = z.object({
  seq: z.number().int(),
  action: z.string(),
  fromState: z.enum(CASE_STATES).nullable(),
  toState: z.enum(CASE_STATES),
  actorName: z.string().nullable(),
  at: z.string(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  attachments: z.array(AttachmentView),
});
export type CaseEventView = z.infer<typeof CaseEventView>;

export const CaseListItem = z.object({
  id: z.string(),
  no: z.string(),
  state: z.enum(CASE_STATES),
  stateKind: z.enum(['open', 'closed']),
  closingKind: z.enum(CLOSING_KINDS).nullable(),
  source: z.enum(CASE_SOURCES),
  priority: z.enum(PRIORITIES),
  categoryId: z.string(),
  categoryName: z.string(),
  description: z.string(),
  address: z.string().nullable(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  gridId: z.string().nullable(),
  gridName: z.string().nullable(),
  ownerAreaName: z.string(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  dueAt: z.string().nullable(),
  paused: z.boolean(),
  supervision: z.enum(SUPERVISION_LEVELS),
  supervised: z.boolean(),
  rating: z.enum(RATINGS).nullable(),
  reportedAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type CaseListItem = z.infer<typeof CaseListItem>;

export const CaseDetail = CaseListItem.extend({
  gridCode: z.string().nullable(),
  ownerAreaId: z.string(),
  buildingId: z.string().nullable(),
  /** In full for those who call the reporter back (reporterRevealable); the surname only (李**) for everyone else. */
  reporterName: z.string().nullable(),
  /** Masked (138****5678); the full number is a deliberate, audited request. */
  reporterPhone: z.string().nullable(),
  /** Whether this viewer may ask for the full number (POST /api/cases/:id/reporter-phone) and sees the name in full. */
  reporterRevealable: z.boolean(),
  extra: z.record(z.string(), z.unknown()),
  route: RouteExplain.nullable(),
  mergedInto: z.object({ id: z.string(), no: z.string() }).nullable(),
  duplicates: z.array(z.object({ id: z.string(), no: z.string() })),
  ratingComment: z.string().nullable(),
  handledAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  superviseNote: z.string().nullable(),
  /** Working minutes left before the deadline (negative = overdue), frozen while paused. */
  remainingMinutes: z.number().int().nullable(),
  /** Transitions this actor may fire now. */
  actions: z.array(z.enum(CASE_ACTIONS)),
  events: z.array(CaseEventView),
  /**
   * The trace ends at the step where this viewer's unit left the case (it returned it): the steps of
   * whoever works the case after it, their files, the resident's comment and the supervision note are not shown.
   */
  traceEndsWhereUnitLeft: z.boolean(),
  attachments: z.array(AttachmentView),
  trackingCode: z.string().nullable(),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CASE_QUEUES = ['all', 'to_dispatch', 'my_pending', 'my_overdue', 'dispatched_by_me', 'to_verify', 'supervision', 'closed'] as const;
export type CaseQueue = (typeof CASE_QUEUES)[number];
export const caseQueueLabels: Record<CaseQueue, Text> = {
  all: { 'zh-CN': '全部事件', en: 'All cases' },
  to_dispatch: { 'zh-CN': '待受理/派遣', en: 'To accept or dispatch' },
  my_pending: { 'zh-CN': '我的待办', en: 'My pending' },
  my_overdue: { 'zh-CN': '我的超时', en: 'My overdue' },
  dispatched_by_me: { 'zh-CN': '我派遣的', en: 'Dispatched by me' },
  to_verify: { 'zh-CN': '待核查', en: 'To verify' },
  supervision: { 'zh-CN': '督办', en: 'Supervision' },
  closed: { 'zh-CN': '已办结', en: 'Closed' },
};

export const CaseListQuery = z.strictObject({
  queue: z.enum(CASE_QUEUES).default('all'),
  state: z.enum(CASE_STATES).optional(),
  categoryId: z.string().uuid().optional(),
  areaId: AreaId.optional(),
  priority: z.enum(PRIORITIES).optional(),
  source: z.enum(CASE_SOURCES).optional(),
  q: z.string().trim().max(60).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  /** The reader's language for what the server words (the export's headers and labels); default Accept-Language. */
  lang: z.enum(LOCALES).optional(),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;
export const CaseList = z.object({ items: z.array(CaseListItem), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const CaseCounts = z.record(z.enum(CASE_QUEUES), z.number().int());

/** What a resident sees of a case by its number and tracking code: no personal data, the closing kind, the public steps. */
export const PublicCaseView = z.object({
  no: z.string(),
  state: z.enum(CASE_STATES),
  stateLabel: z.string(),
  closingKind: z.enum(CLOSING_KINDS).nullable(),
  closingLabel: z.string().nullable(),
  categoryName: z.string(),
  reportedAt: z.string(),
  steps: z.array(z.object({ at: z.string(), label: z.string() })),
  canRate: z.boolean(),
  rating: z.enum(RATINGS).nullable(),
});
export const PublicRateBody = z.strictObject({
  code: z.string().min(6).max(40),
  rating: z.enum(RATINGS),
  comment: z.string().trim().max(500).optional(),
});
export const PublicCaseParams = z.strictObject({ no: z.string().regex(/^[A-Z0-9-]{6,32}$/) });
export const PublicCaseQuery = z.strictObject({ code: z.string().min(6).max(40) });

// ── Notifications and webhooks ────────────────────────────────────────────────

export const NOTIFICATION_KINDS = [
  'case_dispatched', 'case_returned', 'case_due_soon', 'case_overdue', 'case_supervised', 'case_extension_requested', 'case_extension_approved',
  'case_extension_denied', 'case_verify_failed', 'case_handled', 'case_merged', 'case_escalated', 'case_reopened',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const notificationTexts: Record<NotificationKind, Text> = {
  case_dispatched: { 'zh-CN': '事件 {no} 已派遣给 {unit}，请于 {due} 前办结', en: 'Case {no} was dispatched to {unit}; due {due}' },
  case_returned: { 'zh-CN': '事件 {no} 被退单：{reason}', en: 'Case {no} was returned: {reason}' },
  case_due_soon: { 'zh-CN': '事件 {no} 即将超时（{due}）', en: 'Case {no} is due soon ({due})' },
  case_overdue: { 'zh-CN': '事件 {no} 已超时（期限 {due}）', en: 'Case {no} is overdue (was due {due})' },
  case_supervised: { 'zh-CN': '事件 {no} 被督办：{note}', en: 'Case {no} is under supervision: {note}' },
  case_extension_requested: { 'zh-CN': '事件 {no} 申请延期：{reason}', en: 'An extension was requested for case {no}: {reason}' },
  case_extension_approved: { 'zh-CN': '事件 {no} 延期已批准，新期限 {due}', en: 'The extension for case {no} was approved; now due {due}' },
  case_extension_denied: { 'zh-CN': '事件 {no} 延期被驳回：{reason}，请于 {due} 前办结', en: 'The extension for case {no} was denied: {reason}; due {due}' },
  case_verify_failed: { 'zh-CN': '事件 {no} 现场核查未通过：{reason}', en: 'Case {no} failed on-site verification: {reason}' },
  case_handled: { 'zh-CN': '事件 {no} 已办结反馈，请核查', en: 'Case {no} was reported handled; please verify' },
  case_merged: { 'zh-CN': '事件 {no} 与 {target} 为同一问题，已合并办理', en: 'Case {no} is the same matter as {target} and was merged into it' },
  case_escalated: { 'zh-CN': '事件 {no} 已上报至 {area}：{reason}', en: 'Case {no} was escalated to {area}: {reason}' },
  case_reopened: { 'zh-CN': '事件 {no} 因居民不满意重新办理', en: 'Case {no} was reopened after an unsatisfied rating' },
};
export const NotificationView = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  text: z.string(),
  caseId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const NotificationList = z.object({ items: z.array(NotificationView), unread: z.number().int() });

export const WEBHOOK_EVENTS = ['case.created', 'case.transitioned', 'case.overdue'] as const;
export const WebhookBody = z.strictObject({
  name: z.string().trim().min(1).max(60),
  url: z.string().url().max(500).refine((u) => /^https?:\/\//.test(u), 'http(s) only'),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
  active: z.boolean().default(true),
});
export const WebhookView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  active: z.boolean(),
  createdAt: z.string(),
  /** Shown once, when the webhook is created: receivers check X-Wangge-Signature (HMAC-SHA256 of the body) with it. */
  secret: z.string().optional(),
  lastDelivery: z.object({ at: z.string(), status: z.number().int().nullable(), error: z.string().nullable() }).nullable(),
});
