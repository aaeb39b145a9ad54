import type {
  CaseListItem, CaseQueue, CaseSource, CaseState, CategoryBody, CategoryView, ClosingKind, ExtraField, Priority, Rating, RouteExplain,
  RoutingRuleView, SupervisionLevel, UnitView,
} from '@wangge/contracts';
import type { AreaScope } from '../auth/auth.types.ts';
import type { AuditInput } from '../ports.ts';
import type { WebhookEvent } from '../notify/notify.ports.ts';

export interface CategoryRow {
  id: string;
  parentId: string | null;
  code: string;
  level: number;
  nameZh: string;
  nameEn: string | null;
  defaultUnitId: string | null;
  limitUnit: 'hours' | 'days';
  limits: Record<Priority, number>;
  verifyRequired: boolean;
  pausePending: boolean;
  extraFields: ExtraField[];
  open311Code: string | null;
  active: boolean;
  /** Active itself and every category above it active too. */
  activeEffective: boolean;
  hasChildren: boolean;
  /** This category's id, then its parent's, then the top one's: subtree matching goes by id, never by code prefix. */
  ancestorIds: string[];
}

export interface UnitRow { id: string; code: string; nameZh: string; kind: 'department' | 'area_office'; areaId: string; areaPath: string; active: boolean }

export interface RuleRow { id: string; seq: number; name: string; categoryId: string | null; areaId: string | null; areaPath: string | null; unitId: string; active: boolean }

/** A case as the use-cases see it (the reporter's phone stays encrypted in the repository). */
export interface CaseRow {
  id: string;
  no: string;
  districtId: string | null;
  source: CaseSource;
  categoryId: string;
  priority: Priority;
  description: string;
  state: CaseState;
  closingKind: ClosingKind | null;
  version: number;
  gridId: string | null;
  /** Chosen by hand (at a boundary or corrected with a reason): grid adjustments leave it in its grid. */
  gridPinned: boolean;
  areaPath: string;
  ownerAreaId: string;
  ownerPath: string;
  unitId: string | null;
  /** Every unit the case was ever dispatched to (they keep read access). */
  unitHistory: string[];
  route: RouteExplain | null;
  lon: number | null;
  lat: number | null;
  address: string | null;
  buildingId: string | null;
  reporterName: string | null;
  reporterPhoneMasked: string | null;
  reporterUserId: string | null;
  extra: Record<string, unknown>;
  dueAt: Date | null;
  pausedAt: Date | null;
  remainingMinutes: number | null;
  supervision: SupervisionLevel;
  supervised: boolean;
  superviseNote: string | null;
  mergedInto: string | null;
  rating: Rating | null;
  ratingComment: string | null;
  dispatchedBy: string | null;
  reportedBy: string | null;
  reportedAt: Date;
  dispatchedAt: Date | null;
  handledAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
}

export type NewCase = Omit<CaseRow, 'id' | 'no' | 'version' | 'unitHistory' | 'updatedAt' | 'reporterPhoneMasked' | 'closedAt' | 'handledAt' | 'dispatchedAt' | 'mergedInto' | 'rating' | 'ratingComment' | 'supervision' | 'supervised' | 'superviseNote' | 'dispatchedBy' | 'pausedAt' | 'remainingMinutes' | 'dueAt'> & {
  /** Chosen by the caller (a random UUID), so one statement can write the case and what hangs off it. */
  id: string;
  /** 'WG' + the local date of report + a reserved number (caseNumber). */
  no: string;
  reporterPhone: string | null;
  trackingHash: string | null;
  closedAt: Date | null;
};

export type CasePatch = Partial<Pick<CaseRow,
  'state' | 'closingKind' | 'gridId' | 'gridPinned' | 'areaPath' | 'ownerAreaId' | 'ownerPath' | 'unitId' | 'route' | 'dueAt' | 'pausedAt' | 'remainingMinutes' |
  'supervision' | 'supervised' | 'superviseNote' | 'mergedInto' | 'rating' | 'ratingComment' | 'dispatchedBy' | 'dispatchedAt' | 'handledAt' | 'closedAt' | 'districtId'
>>;

export interface ReportWrite {
  case: NewCase;
  event: Omit<CaseEventRow, 'seq'>;
  audit: AuditInput;
  emit: { event: WebhookEvent; payload: Record<string, unknown> };
  sms: { phone: string; text: string; uniqueRef: string } | null;
  at: Date;
}

export interface ReferenceStamp {
  /** grid_epoch: the locator's key. */
  grids: number;
  /** calendarStamp(). */
  calendar: string;
  /** Everything else: categories, rules, units, areas (statement triggers bump it). */
  config: string;
}

export interface CaseEventRow {
  seq: number;
  action: string;
  fromState: CaseState | null;
  toState: CaseState;
  actorId: string | null;
  actorName: string | null;
  at: Date;
  note: string | null;
  data: Record<string, unknown>;
}

/** Who the actor is to the lists: area scope for case.read, the units it belongs to, its user id for "mine". */
export interface CaseViewer {
  readScope: AreaScope;
  unitIds: string[];
  userId: string;
  /** Owner areas where the actor decides (case.dispatch): the "to dispatch" queue. */
  dispatchScope: AreaScope;
  verifyScope: AreaScope;
}

export interface CaseFilter {
  queue: CaseQueue;
  state?: CaseState | undefined;
  categoryId?: string | undefined;
  areaPath?: string | undefined;
  priority?: Priority | undefined;
  source?: CaseSource | undefined;
  q?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  now: Date;
  page: number;
  pageSize: number;
}

export interface NearbyCandidate { id: string; no: string; state: CaseState; categoryId: string; categoryTopId: string; categoryName: string; description: string; address: string | null; lon: number | null; lat: number | null; reportedAt: Date }

export interface CasesPort {
  // categories
  categories(): Promise<CategoryRow[]>;
  category(id: string): Promise<CategoryRow | null>;
  categoryByCode(code: string): Promise<CategoryRow | null>;
  insertCategory(c: CategoryBody & { level: number }, at: Date): Promise<string>;
  updateCategory(id: string, c: CategoryBody & { level: number }, at: Date): Promise<void>;
  categoryViews(): Promise<CategoryView[]>;
  // units and rules
  units(): Promise<UnitRow[]>;
  unit(id: string): Promise<UnitRow | null>;
  unitViews(): Promise<UnitView[]>;
  /** The area office of an area (a community's own unit), if it has one. */
  officeOf(areaId: string): Promise<UnitRow | null>;
  unitIdsOf(userId: string): Promise<string[]>;
  /** Members of units (user ids). */
  unitMembers(unitIds: string[]): Promise<string[]>;
  /** Users holding one of `roles` on exactly one of `areaIds` (the people who decide at a level). */
  usersWithRoleOn(areaIds: string[], roles: string[]): Promise<string[]>;
  rules(): Promise<RuleRow[]>;
  ruleViews(): Promise<RoutingRuleView[]>;
  rule(id: string): Promise<RuleRow | null>;
  insertRule(r: { seq: number; name: string; categoryId: string | null; areaId: string | null; unitId: string; active: boolean }, at: Date): Promise<string>;
  updateRule(id: string, r: { seq: number; name: string; categoryId: string | null; areaId: string | null; unitId: string; active: boolean }): Promise<void>;
  deleteRule(id: string): Promise<boolean>;
  // calendar
  calendarOverrides(): Promise<Map<string, boolean>>;
  calendarYear(year: number): Promise<Array<{ date: string; workday: boolean; name: string | null; source: 'package' | 'admin' }>>;
  setCalendarDay(d: { date: string; workday: boolean; name: string | null }, by: string, at: Date): Promise<void>;
  /** Removes a day's entry (it then follows the plain rule, or the package's entry at the next start). */
  deleteCalendarDay(date: string): Promise<boolean>;
  /** Changes whenever a calendar day changes, so cached calendars rebuild. */
  calendarStamp(): Promise<string>;
  // cases
  /**
   * Writes a new case with its first trace step (seq 1), its audit row, its webhook event and the
   * reporter's text message in ONE statement (ADR 0005): atomic without a transaction, one round trip.
   * Returns the case as `find` and `listItem` would read it.
   */
  insertReported(w: ReportWrite): Promise<{ row: CaseRow; item: CaseListItem }>;
  /** Reserves `n` numbers from the case-number sequence (a server takes them in blocks). */
  reserveCaseNumbers(n: number): Promise<string[]>;
  /** Changes whenever categories, routing rules, handling units, areas, grids or the calendar change: one read that tells cached reference data whether it is still good. */
  referenceStamp(): Promise<ReferenceStamp>;
  find(id: string): Promise<CaseRow | null>;
  findByNo(no: string): Promise<(CaseRow & { trackingHash: string | null }) | null>;
  /** Locks the row for the transaction. */
  lock(id: string): Promise<CaseRow | null>;
  /** Applies the patch when the version still matches; bumps it. false = someone else changed the case. */
  update(id: string, version: number, patch: CasePatch, at: Date): Promise<boolean>;
  reporterPhone(id: string): Promise<string | null>;
  appendEvent(caseId: string, districtId: string | null, e: Omit<CaseEventRow, 'seq'>): Promise<number>;
  events(caseId: string): Promise<CaseEventRow[]>;
  /** Cases merged into this one, with their reporters' phones (for telling them the outcome). */
  duplicatesOf(caseId: string): Promise<Array<{ id: string; no: string; reporterPhone: string | null; reportedBy: string | null }>>;
  /** The same, numbers only (nothing decrypted): for showing. */
  duplicateRefs(caseId: string): Promise<Array<{ id: string; no: string }>>;
  list(viewer: CaseViewer, filter: CaseFilter): Promise<{ items: CaseListItem[]; total: number }>;
  counts(viewer: CaseViewer, now: Date): Promise<Record<CaseQueue, number>>;
  /** Open cases whose point lies within the box, reported after `since` (duplicate candidates), inside the scope. */
  nearbyOpen(scope: AreaScope, box: { minLon: number; minLat: number; maxLon: number; maxLat: number } | null, since: Date, topCategoryId: string | null, limit: number): Promise<NearbyCandidate[]>;
  /** Open cases whose clock runs (dispatched, handling, extension_pending, returned; not paused) and that are not yet marked overdue, in id order after `afterId`. */
  runningWithDeadline(limit: number, afterId: string | null): Promise<CaseRow[]>;
  /**
   * Raises the supervision level if the case is still as the sweep read it: level `from`, the same
   * deadline, clock running (no version bump: the system, not a person, sets it).
   */
  /** Raises the level if the case is still as read (level, deadline, running); the case as it is now, or null when it was not. */
  setSupervision(id: string, from: SupervisionLevel, to: SupervisionLevel, dueAt: Date): Promise<Pick<CaseRow, 'state' | 'unitId' | 'ownerAreaId' | 'ownerPath'> | null>;
  listItem(id: string): Promise<CaseListItem | null>;
  /** Open cases located in grids below `path` (for grid adjustments: they move with the grids; closed ones keep their old grid). */
  openCasesUnder(path: string): Promise<Array<{ id: string; no: string; state: CaseState; gridId: string | null; pinned: boolean; districtId: string | null; lon: number | null; lat: number | null }>>;
  /** Puts an open case in another grid (path and district follow; a grid-owned case changes owner too) and bumps its version. */
  moveToGrid(id: string, gridId: string, at: Date): Promise<void>;
}
