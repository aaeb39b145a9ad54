import { z } from 'zod';
import type { Text } from './i18n.ts';

/**
 * The registry (人地事物组织): one declarative table of every ledger and its fields. The database
 * columns, the use-cases' validation, the console's forms and columns, the Excel templates, the
 * import, the export and the completeness figure (户不漏项) all read this one table (ADR 0004).
 * A field's column is its key in snake_case; an `idno`/`phone` field is stored as
 * `<col>_enc` (encrypted), `<col>_bidx` (keyed blind index) and `<col>_masked`.
 */

export const DICTS = [
  'sex', 'marital', 'political', 'education', 'ethnicity', 'relation', 'occupation', 'id_type', 'consistency',
  'pop_type', 'inflow_reason', 'residence_type', 'permit_type', 'rental_use', 'hazard_type', 'social_org_type',
  'enterprise_type', 'visit_purpose', 'house_use', 'household_kind', 'org_kind', 'facility_class', 'facility_status',
  'person_status', 'attention',
] as const;
export type DictName = (typeof DICTS)[number];

export const LEDGERS = ['compounds', 'buildings', 'units', 'houses', 'households', 'persons', 'organisations', 'facilities'] as const;
export type LedgerKey = (typeof LEDGERS)[number];

export type FieldType = 'text' | 'longtext' | 'int' | 'number' | 'date' | 'bool' | 'code' | 'idno' | 'phone' | 'uscc' | 'ref' | 'lon' | 'lat';

export interface FieldSpec {
  key: string;
  label: Text;
  type: FieldType;
  /** For `code`: the code table its values come from. */
  dict?: DictName;
  /** For `ref`: the ledger it points to (a row in the same area scope). */
  ref?: LedgerKey;
  required?: boolean;
  /** Counts toward 户不漏项 (every field of a record filled): the completeness figure. */
  fill?: boolean;
  /** Maximum length of a text. */
  max?: number;
  /** Filled by the system (derived from other fields); shown, never written by a user or an import. */
  derived?: boolean;
  /** A column of the list by default. */
  list?: boolean;
  /** Offered as a filter of the list. */
  filter?: boolean;
}

export interface LedgerSpec {
  key: LedgerKey;
  label: Text;
  /** The field that names a record in lists, references and messages. */
  title: string;
  /**
   * Where a record's grid comes from: `point` = located from lon/lat (a building), `parent` = its
   * `parentField` record's grid (one fact in one place), `area` = named by the user (gridId).
   * A `parent` ledger whose parent field is empty falls back to the named grid.
   */
  locate: 'point' | 'parent' | 'area';
  parentField?: string;
  /** How an import recognises an existing record, tried in order ("enter once"): each entry lists fields that must all match. */
  match: string[][];
  fields: FieldSpec[];
}

const t = (zh: string, en: string): Text => ({ 'zh-CN': zh, en });

export const LEDGER_SPECS: Record<LedgerKey, LedgerSpec> = {
  compounds: {
    key: 'compounds', label: t('小区', 'Residential compounds'), title: 'name', locate: 'area', match: [['name']],
    fields: [
      { key: 'name', label: t('小区名称', 'Name'), type: 'text', required: true, max: 80, list: true },
      { key: 'address', label: t('地址', 'Address'), type: 'text', max: 200, list: true, fill: true },
      { key: 'propertyCompany', label: t('物业公司', 'Property management company'), type: 'text', max: 120, list: true },
      { key: 'propertyPhone', label: t('物业电话', 'Property management phone'), type: 'text', max: 40 },
      { key: 'lon', label: t('经度', 'Longitude'), type: 'lon' },
      { key: 'lat', label: t('纬度', 'Latitude'), type: 'lat' },
    ],
  },
  buildings: {
    key: 'buildings', label: t('楼栋', 'Buildings'), title: 'name', locate: 'point', match: [['code'], ['name', 'compoundId']],
    fields: [
      { key: 'name', label: t('楼栋名称', 'Name'), type: 'text', required: true, max: 80, list: true },
      { key: 'code', label: t('楼栋编码', 'Code'), type: 'text', max: 40, list: true },
      { key: 'compoundId', label: t('所属小区', 'Compound'), type: 'ref', ref: 'compounds', list: true, filter: true },
      { key: 'address', label: t('地址', 'Address'), type: 'text', max: 200, list: true, fill: true },
      { key: 'floors', label: t('层数', 'Floors'), type: 'int', list: true, fill: true },
      { key: 'lon', label: t('经度', 'Longitude'), type: 'lon', required: true },
      { key: 'lat', label: t('纬度', 'Latitude'), type: 'lat', required: true },
    ],
  },
  units: {
    key: 'units', label: t('单元', 'Entrances (单元)'), title: 'name', locate: 'parent', parentField: 'buildingId', match: [['buildingId', 'name']],
    fields: [
      { key: 'buildingId', label: t('所属楼栋', 'Building'), type: 'ref', ref: 'buildings', required: true, list: true, filter: true },
      { key: 'name', label: t('单元名称', 'Name'), type: 'text', required: true, max: 40, list: true },
      { key: 'floors', label: t('层数', 'Floors'), type: 'int', list: true },
    ],
  },
  houses: {
    key: 'houses', label: t('房屋', 'Houses'), title: 'address', locate: 'parent', parentField: 'buildingId', match: [['buildingId', 'unitId', 'roomNo'], ['address']],
    fields: [
      { key: 'buildingId', label: t('所属楼栋', 'Building'), type: 'ref', ref: 'buildings', list: true, filter: true },
      { key: 'unitId', label: t('单元', 'Entrance'), type: 'ref', ref: 'units' },
      { key: 'floor', label: t('楼层', 'Floor'), type: 'int' },
      { key: 'roomNo', label: t('房号', 'Room'), type: 'text', max: 20, list: true },
      { key: 'address', label: t('房屋地址', 'Address'), type: 'text', required: true, max: 200, list: true },
      { key: 'use', label: t('房屋用途', 'Use'), type: 'code', dict: 'house_use', list: true, filter: true, fill: true },
      { key: 'areaM2', label: t('建筑面积（㎡）', 'Floor area (m²)'), type: 'number', fill: true },
      { key: 'ownerName', label: t('产权人', 'Owner'), type: 'text', max: 80, list: true, fill: true },
      { key: 'ownerIdNo', label: t('产权人证件号码', 'Owner’s ID number'), type: 'idno' },
      { key: 'ownerPhone', label: t('产权人电话', 'Owner’s phone'), type: 'phone', fill: true },
      { key: 'rented', label: t('是否出租', 'Rented out'), type: 'bool', list: true, filter: true, fill: true },
      { key: 'rentalUse', label: t('出租用途', 'Rental use'), type: 'code', dict: 'rental_use', filter: true },
      { key: 'hazard', label: t('安全隐患类型', 'Safety hazard'), type: 'code', dict: 'hazard_type', filter: true },
    ],
  },
  households: {
    key: 'households', label: t('户', 'Households'), title: 'householdNo', locate: 'parent', parentField: 'houseId', match: [['householdNo']],
    fields: [
      { key: 'householdNo', label: t('户号', 'Household number'), type: 'text', required: true, max: 30, list: true },
      { key: 'houseId', label: t('所住房屋', 'House'), type: 'ref', ref: 'houses', list: true, fill: true },
      { key: 'kind', label: t('户别', 'Kind'), type: 'code', dict: 'household_kind', list: true, filter: true, fill: true },
      { key: 'address', label: t('地址', 'Address'), type: 'text', max: 200, list: true },
      { key: 'headName', label: t('户主', 'Head of household'), type: 'text', derived: true, list: true },
      { key: 'memberCount', label: t('人数', 'Members'), type: 'int', derived: true, list: true },
    ],
  },
  persons: {
    key: 'persons', label: t('人口', 'People'), title: 'name', locate: 'parent', parentField: 'householdId',
    match: [['idNo'], ['name', 'birthDate', 'householdId']],
    fields: [
      { key: 'name', label: t('姓名', 'Name'), type: 'text', required: true, max: 60, list: true },
      { key: 'idType', label: t('证件类型', 'ID document'), type: 'code', dict: 'id_type' },
      { key: 'idNo', label: t('证件号码', 'ID number'), type: 'idno', list: true, fill: true },
      { key: 'sex', label: t('性别', 'Sex'), type: 'code', dict: 'sex', list: true, filter: true, fill: true },
      { key: 'birthDate', label: t('出生日期', 'Date of birth'), type: 'date', list: true, fill: true },
      { key: 'ethnicity', label: t('民族', 'Ethnic group'), type: 'code', dict: 'ethnicity', filter: true, fill: true },
      { key: 'political', label: t('政治面貌', 'Political status'), type: 'code', dict: 'political', filter: true, fill: true },
      { key: 'education', label: t('学历', 'Education'), type: 'code', dict: 'education', filter: true, fill: true },
      { key: 'marital', label: t('婚姻状况', 'Marital status'), type: 'code', dict: 'marital', filter: true, fill: true },
      { key: 'occupation', label: t('从业状况', 'Employment'), type: 'code', dict: 'occupation', filter: true },
      { key: 'workPlace', label: t('工作单位/服务处所', 'Workplace'), type: 'text', max: 120 },
      { key: 'phone', label: t('联系电话', 'Phone'), type: 'phone', list: true, fill: true },
      { key: 'popType', label: t('人口类型', 'Population type'), type: 'code', dict: 'pop_type', required: true, list: true, filter: true },
      { key: 'householdId', label: t('所属户', 'Household'), type: 'ref', ref: 'households', list: true },
      { key: 'relation', label: t('与户主关系', 'Relation to the head'), type: 'code', dict: 'relation', list: true },
      { key: 'houseId', label: t('现住房屋', 'Lives in'), type: 'ref', ref: 'houses' },
      { key: 'hukouAddress', label: t('户籍地', 'Place of household registration'), type: 'text', max: 200, fill: true },
      { key: 'currentAddress', label: t('现住址', 'Current address'), type: 'text', max: 200, list: true, fill: true },
      { key: 'consistency', label: t('人户一致标识', 'Lives where registered'), type: 'code', dict: 'consistency', filter: true },
      { key: 'residenceType', label: t('住所类型', 'Type of residence'), type: 'code', dict: 'residence_type', filter: true },
      { key: 'inflowReason', label: t('流入原因', 'Reason for moving here'), type: 'code', dict: 'inflow_reason' },
      { key: 'permitType', label: t('办证类型', 'Residence permit'), type: 'code', dict: 'permit_type' },
      { key: 'nationality', label: t('国籍（地区）', 'Nationality'), type: 'text', max: 60 },
      { key: 'visitPurpose', label: t('来华目的', 'Purpose of stay'), type: 'code', dict: 'visit_purpose' },
      { key: 'status', label: t('状态', 'Status'), type: 'code', dict: 'person_status', list: true, filter: true },
    ],
  },
  organisations: {
    key: 'organisations', label: t('组织', 'Organisations'), title: 'name', locate: 'area', match: [['uscc'], ['name']],
    fields: [
      { key: 'name', label: t('名称', 'Name'), type: 'text', required: true, max: 120, list: true },
      { key: 'kind', label: t('组织类别', 'Kind'), type: 'code', dict: 'org_kind', required: true, list: true, filter: true },
      { key: 'uscc', label: t('统一社会信用代码', 'Unified social credit code'), type: 'uscc', list: true, fill: true },
      { key: 'enterpriseType', label: t('企业类型', 'Enterprise type'), type: 'code', dict: 'enterprise_type', filter: true },
      { key: 'socialOrgType', label: t('社会组织类型', 'Social organisation type'), type: 'code', dict: 'social_org_type', filter: true },
      { key: 'legalRep', label: t('法定代表人/负责人', 'Legal representative'), type: 'text', max: 60, list: true, fill: true },
      { key: 'phone', label: t('联系电话', 'Phone'), type: 'phone', list: true, fill: true },
      { key: 'address', label: t('地址', 'Address'), type: 'text', max: 200, list: true, fill: true },
      { key: 'buildingId', label: t('所在楼栋', 'Building'), type: 'ref', ref: 'buildings' },
      { key: 'employees', label: t('从业人数', 'Employees'), type: 'int', fill: true },
      { key: 'hazard', label: t('安全隐患类型', 'Safety hazard'), type: 'code', dict: 'hazard_type', filter: true },
      { key: 'lon', label: t('经度', 'Longitude'), type: 'lon' },
      { key: 'lat', label: t('纬度', 'Latitude'), type: 'lat' },
    ],
  },
  facilities: {
    key: 'facilities', label: t('部件', 'Public facilities'), title: 'name', locate: 'point', match: [['code']],
    fields: [
      { key: 'code', label: t('部件编码', 'Facility code'), type: 'text', required: true, max: 30, list: true },
      { key: 'name', label: t('部件名称', 'Name'), type: 'text', required: true, max: 80, list: true },
      { key: 'facilityClass', label: t('部件大类', 'Class'), type: 'code', dict: 'facility_class', required: true, list: true, filter: true },
      { key: 'ownerUnit', label: t('主管部门', 'Responsible department'), type: 'text', max: 120, list: true, fill: true },
      { key: 'maintainer', label: t('养护单位', 'Maintained by'), type: 'text', max: 120, fill: true },
      { key: 'condition', label: t('部件状态', 'Condition'), type: 'code', dict: 'facility_status', list: true, filter: true, fill: true },
      { key: 'address', label: t('位置描述', 'Location'), type: 'text', max: 200 },
      { key: 'lon', label: t('经度', 'Longitude'), type: 'lon', required: true },
      { key: 'lat', label: t('纬度', 'Latitude'), type: 'lat', required: true },
    ],
  },
};

/** A field's database column: its key in snake_case (`householdNo` → `household_no`). */
export const columnOf = (key: string): string => key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

export const isSensitiveType = (type: FieldType): type is 'idno' | 'phone' => type === 'idno' || type === 'phone';

// ---------------------------------------------------------------------------------------------
// Tags: care objects (重点服务对象) and the six special groups (特殊人群) are data (tag_defs), each with its own follow-up fields.

export const TagKind = z.enum(['care', 'special']);
export type TagKind = z.infer<typeof TagKind>;

export const TagFieldSpec = z.object({
  key: z.string().regex(/^[a-z][a-zA-Z0-9]{0,30}$/),
  labelZh: z.string().min(1).max(40),
  labelEn: z.string().min(1).max(60),
  type: z.enum(['text', 'date', 'code', 'int', 'bool']),
  /** For `code`: the allowed options. */
  options: z.array(z.object({ code: z.string().min(1).max(20), labelZh: z.string().min(1).max(40), labelEn: z.string().min(1).max(60) })).optional(),
  required: z.boolean().optional(),
});
export type TagFieldSpec = z.infer<typeof TagFieldSpec>;

export const TagDef = z.object({
  code: z.string(),
  kind: TagKind,
  nameZh: z.string(),
  nameEn: z.string(),
  /** Days between scheduled visits; null = no schedule. */
  visitIntervalDays: z.number().int().nullable(),
  fields: z.array(TagFieldSpec),
  active: z.boolean(),
  sort: z.number().int(),
});
export type TagDef = z.infer<typeof TagDef>;
export const TagDefList = z.object({ items: z.array(TagDef) });
export const TagDefBody = z.strictObject({
  code: z.string().trim().regex(/^[a-z0-9_]{2,30}$/),
  kind: TagKind,
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().min(1).max(60),
  visitIntervalDays: z.number().int().min(1).max(366).nullable(),
  fields: z.array(TagFieldSpec).max(30),
  active: z.boolean().default(true),
  sort: z.number().int().min(0).max(9999).default(100),
});
export const TagCodeParams = z.strictObject({ code: z.string().min(1).max(30) });

export const PersonTag = z.object({
  id: z.string(),
  personId: z.string(),
  tag: z.string(),
  kind: TagKind,
  nameZh: z.string(),
  nameEn: z.string(),
  values: z.record(z.string(), z.unknown()),
  attention: z.string().nullable(),
  nextVisitOn: z.string().nullable(),
  lastVisitOn: z.string().nullable(),
  note: z.string().nullable(),
  startedOn: z.string(),
});
export type PersonTag = z.infer<typeof PersonTag>;
export const PersonTagList = z.object({ items: z.array(PersonTag) });
export const PersonTagBody = z.strictObject({
  tag: z.string().min(1).max(30),
  values: z.record(z.string(), z.unknown()).default({}),
  attention: z.string().max(20).nullable().optional(),
  nextVisitOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().optional(),
  note: z.string().max(500).nullable().optional(),
});
export const PersonTagPatch = PersonTagBody.omit({ tag: true, values: true }).partial().extend({
  values: z.record(z.string(), z.unknown()).optional(),
  /** A visit happened on this day: the next one is scheduled from the tag's interval. */
  visitedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});
export const PersonTagParams = z.strictObject({ id: z.string().uuid(), tagId: z.string().uuid() });

export const DueVisit = z.object({
  tagId: z.string(),
  personId: z.string(),
  personName: z.string(),
  tag: z.string(),
  tagName: z.string(),
  kind: TagKind,
  gridId: z.string(),
  gridName: z.string(),
  address: z.string().nullable(),
  nextVisitOn: z.string(),
  overdueDays: z.number().int(),
});
export const DueVisitList = z.object({ items: z.array(DueVisit), total: z.number().int() });
export const DueVisitQuery = z.strictObject({
  areaId: z.string().regex(/^\d+$/).optional(),
  /** Visits due within this many days from today (overdue ones are always included). */
  withinDays: z.coerce.number().int().min(0).max(366).default(7),
  kind: TagKind.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

// ---------------------------------------------------------------------------------------------
// HTTP shapes

export const DictItem = z.object({ code: z.string(), labelZh: z.string(), labelEn: z.string(), parent: z.string().nullable(), active: z.boolean() });
export type DictItem = z.infer<typeof DictItem>;
export const DictTable = z.object({ name: z.string(), source: z.string(), version: z.string(), items: z.array(DictItem) });
export type DictTable = z.infer<typeof DictTable>;

/** The ledger table and the code tables, for the console's forms. */
export const RegistrySpec = z.object({
  ledgers: z.array(z.any()).describe('LedgerSpec[] (see contracts/registry.ts)'),
  dicts: z.array(DictTable),
  tags: z.array(TagDef),
});

export const LedgerParams = z.strictObject({ ledger: z.enum(LEDGERS) });
export const RecordParams = z.strictObject({ ledger: z.enum(LEDGERS), id: z.string().uuid() });

/** One record as shown: values by field key; idno/phone values masked unless revealed. */
export const RegistryRecord = z.object({
  id: z.string(),
  ledger: z.enum(LEDGERS),
  gridId: z.string(),
  gridName: z.string(),
  gridCode: z.string(),
  version: z.number().int(),
  values: z.record(z.string(), z.unknown()),
  /** Titles of the records the ref fields point to (by field key). */
  refs: z.record(z.string(), z.string().nullable()),
  importId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RegistryRecord = z.infer<typeof RegistryRecord>;

export const RegistryList = z.object({ items: z.array(RegistryRecord), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type RegistryList = z.infer<typeof RegistryList>;

/**
 * A list: area (default: the actor's whole scope), q (searches the title; for persons the full
 * search below), any filter field as `f.<key>=<code>` (booleans `true`/`false`), paging.
 */
export const RegistryListQuery = z
  .object({
    areaId: z.string().regex(/^\d+$/).optional(),
    q: z.string().trim().max(60).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
    lang: z.enum(['zh-CN', 'en']).optional(),
  })
  .catchall(z.string().max(60));
export type RegistryListQuery = z.infer<typeof RegistryListQuery>;

export const RegistryWriteBody = z.strictObject({
  values: z.record(z.string(), z.unknown()),
  /** For `area` ledgers, and `parent` ledgers without a parent: the grid (or community) it lies in. */
  gridId: z.string().regex(/^\d+$/).optional(),
  /** Required on update: the version read (optimistic concurrency). */
  version: z.number().int().optional(),
});
export const RegistryDeleteQuery = z.strictObject({ version: z.coerce.number().int() });

export const RevealBody = z.strictObject({ field: z.string().min(1).max(40) });
export const RevealResult = z.object({ field: z.string(), value: z.string().nullable() });

export const HistoryEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorName: z.string().nullable(),
  action: z.enum(['create', 'update', 'delete', 'restore']),
  importId: z.string().nullable(),
  /** Field key → [before, after]; sensitive values appear masked. */
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;
export const HistoryList = z.object({ items: z.array(HistoryEntry) });

/** People search: one box for name (two characters is common), pinyin initials, ID number, phone or address. */
export const PersonSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(60),
  areaId: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const PersonSearchHit = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.string().nullable(),
  birthDate: z.string().nullable(),
  idNo: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  popType: z.string(),
  gridId: z.string(),
  gridName: z.string(),
  householdId: z.string().nullable(),
  tags: z.array(z.string()),
  /** What matched: name, pinyin, id, phone or address. */
  matched: z.enum(['name', 'pinyin', 'id', 'phone', 'address']),
});
export type PersonSearchHit = z.infer<typeof PersonSearchHit>;
export const PersonSearchResult = z.object({ items: z.array(PersonSearchHit), matched: z.enum(['name', 'pinyin', 'id', 'phone', 'address']) });

/** 分类汇总: the figures of one area node and of each child, rolled up from grids. */
export const SummaryQuery = z.strictObject({ areaId: z.string().regex(/^\d+$/).optional(), lang: z.enum(['zh-CN', 'en']).optional() });
export const SummaryFigure = z.object({ key: z.string(), group: z.string(), labelZh: z.string(), labelEn: z.string() });
export const SummaryRow = z.object({ areaId: z.string(), code: z.string(), name: z.string(), level: z.string(), values: z.record(z.string(), z.number()) });
export const RegistrySummary = z.object({
  area: SummaryRow,
  children: z.array(SummaryRow),
  figures: z.array(SummaryFigure),
  asOf: z.string(),
});
export type RegistrySummary = z.infer<typeof RegistrySummary>;

/** 区不漏房、房不漏户、户不漏项 per grid. Shares are 0..1 (null when there is nothing to count). */
export const GridCompleteness = z.object({
  gridId: z.string(),
  code: z.string(),
  name: z.string(),
  houses: z.number().int(),
  housesWithHouseholds: z.number().int(),
  households: z.number().int(),
  householdsWithMembers: z.number().int(),
  people: z.number().int(),
  peopleComplete: z.number().int(),
  houseShare: z.number().nullable(),
  householdShare: z.number().nullable(),
  fieldShare: z.number().nullable(),
  /** The three shares' mean, for colouring the map. */
  score: z.number().nullable(),
});
export type GridCompleteness = z.infer<typeof GridCompleteness>;
export const CompletenessResult = z.object({ items: z.array(GridCompleteness) });

export const ImportStatus = z.enum(['running', 'done', 'failed', 'rolled_back']);
export const ImportRowError = z.object({ row: z.number().int(), column: z.string().nullable(), code: z.string(), reason: z.string() });
export const ImportView = z.object({
  id: z.string(),
  ledger: z.enum(LEDGERS),
  fileName: z.string(),
  status: ImportStatus,
  rowsTotal: z.number().int(),
  rowsDone: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  errors: z.array(ImportRowError).describe('the first 200; the full report is errors.xlsx'),
  /** Per updated record (first 200): what changed. */
  changes: z.array(z.object({ row: z.number().int(), id: z.string(), title: z.string(), fields: z.array(z.string()) })),
  message: z.string().nullable(),
  actorName: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportView = z.infer<typeof ImportView>;
export const ImportList = z.object({ items: z.array(ImportView) });
export const ImportParams = z.strictObject({ importId: z.string().uuid() });
export const ImportStartQuery = z.strictObject({
  areaId: z.string().regex(/^\d+$/).describe('the grid or community rows without a parent record are placed in'),
  fileName: z.string().max(200).optional(),
});
