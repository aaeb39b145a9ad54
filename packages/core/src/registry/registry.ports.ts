import type { DictTable, GridCompleteness, LedgerKey, PersonSearchHit, TagDef } from '@wangge/contracts';
import type { AreaScope } from '../auth/auth.types.ts';
import type { Value, Values } from './registry.values.ts';

/** A ledger row as stored: values by field key (idno/phone values masked), its grid and bookkeeping. */
export interface StoredRecord {
  id: string;
  ledger: LedgerKey;
  gridId: string;
  gridPath: string;
  gridName: string;
  gridCode: string;
  districtId: string | null;
  version: number;
  importId: string | null;
  createdAt: Date;
  updatedAt: Date;
  values: Values;
  /** Titles of the records the ref fields point to. */
  refs: Record<string, string | null>;
}

export interface NewRecord {
  gridId: string;
  districtId: string | null;
  values: Values;
}

export interface ChangeRecord {
  ledger: LedgerKey;
  recordId: string;
  districtId: string | null;
  action: 'create' | 'update' | 'delete' | 'restore';
  /** Field key → [before, after], sensitive values masked. */
  changes: Record<string, [unknown, unknown]>;
  /** The full stored row before the change (for an import's rollback). */
  before: Record<string, unknown> | null;
  importId: string | null;
  actorId: string | null;
  actorName: string | null;
  at: Date;
}

export interface ListFilter {
  q?: string | undefined;
  /** Field key → value (codes, booleans, ref ids). */
  equals: Record<string, Value>;
  page: number;
  pageSize: number;
}

export type SearchKind = 'name' | 'pinyin' | 'id' | 'phone' | 'address';

export interface TagRecord {
  id: string;
  personId: string;
  tag: string;
  values: Record<string, unknown>;
  attention: string | null;
  nextVisitOn: string | null;
  lastVisitOn: string | null;
  note: string | null;
  startedOn: string;
  endedAt: Date | null;
}

export interface DueVisitRecord {
  tagId: string;
  personId: string;
  personName: string;
  tag: string;
  gridId: string;
  gridName: string;
  address: string | null;
  nextVisitOn: string;
}

/** Storage of the registry (implemented in @wangge/db; the only place that knows columns, encryption and blind indexes). */
export interface RegistryPort {
  dicts(): Promise<DictTable[]>;
  tagDefs(): Promise<TagDef[]>;
  saveTagDef(def: TagDef): Promise<TagDef>;
  get(ledger: LedgerKey, id: string, opts?: { forUpdate?: boolean }): Promise<StoredRecord | null>;
  /** Several records of one ledger (unknown ids left out). */
  getMany(ledger: LedgerKey, ids: string[]): Promise<StoredRecord[]>;
  list(ledger: LedgerKey, scope: AreaScope, filter: ListFilter): Promise<{ items: StoredRecord[]; total: number }>;
  /** Every record matching the filter, in pages of `batch` (exports). */
  scan(ledger: LedgerKey, scope: AreaScope, filter: Omit<ListFilter, 'page' | 'pageSize'>, batch: number): AsyncIterable<StoredRecord[]>;
  insert(ledger: LedgerKey, rows: NewRecord[], at: Date, importId: string | null): Promise<string[]>;
  /** Applies a patch when the version still matches; answers the changes (masked) or null on a version mismatch. */
  update(ledger: LedgerKey, id: string, version: number, patch: Values, gridId: string | null, at: Date, importId?: string | null): Promise<{ changes: Record<string, [unknown, unknown]>; before: Record<string, unknown> } | null>;
  remove(ledger: LedgerKey, id: string, version: number): Promise<Record<string, unknown> | null>;
  /** The full value of an idno/phone field (decrypted). */
  reveal(ledger: LedgerKey, id: string, field: string): Promise<string | null>;
  /** Records of a ledger in a district whose field equals value exactly (idno/phone through the blind index). */
  findEqual(ledger: LedgerKey, districtId: string | null, field: string, value: Value, exceptId?: string): Promise<{ id: string; title: string }[]>;
  /** How many records of other ledgers point to this one. */
  children(ledger: LedgerKey, id: string): Promise<{ ledger: LedgerKey; count: number }[]>;
  /** The grids of records below changed parents follow them (buildings → units, houses → households → people; organisations). */
  regrid(ledger: 'buildings' | 'houses' | 'households', ids: string[]): Promise<number>;
  /** Households and people living in these buildings (through their houses), for an adjustment's preview. */
  countInBuildings(buildingIds: string[]): Promise<{ households: number; persons: number }>;
  /** Records whose grid is one of these, by ledger (after buildings moved: the ones placed straight in the grid). */
  inGrids(gridIds: string[]): Promise<{ ledger: LedgerKey; id: string }[]>;
  /** Puts records in a grid, and their children after them. */
  setGrid(ledger: LedgerKey, ids: string[], gridId: string): Promise<void>;
  headOf(householdId: string, exceptPersonId?: string): Promise<{ id: string; name: string } | null>;
  addChanges(rows: ChangeRecord[]): Promise<void>;
  history(ledger: LedgerKey, id: string): Promise<(ChangeRecord & { id: string })[]>;
  search(scope: AreaScope, kind: SearchKind, q: string, limit: number, includeSpecial: boolean): Promise<PersonSearchHit[]>;
  /** grid_stats summed per metric, for each area (its whole subtree). */
  rollup(areaIds: string[]): Promise<Map<string, Record<string, number>>>;
  completeness(gridIds: string[]): Promise<GridCompleteness[]>;
  // tags
  tagsOf(personId: string): Promise<TagRecord[]>;
  tag(id: string): Promise<TagRecord | null>;
  insertTag(t: Omit<TagRecord, 'id' | 'endedAt'>, importId: string | null): Promise<string>;
  updateTag(id: string, patch: Partial<Pick<TagRecord, 'values' | 'attention' | 'nextVisitOn' | 'lastVisitOn' | 'note'>>): Promise<void>;
  endTag(id: string, at: Date): Promise<void>;
  dueVisits(scope: AreaScope, until: string, tags: string[], page: number, pageSize: number): Promise<{ items: DueVisitRecord[]; total: number }>;
}
