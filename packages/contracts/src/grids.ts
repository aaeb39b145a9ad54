import { z } from 'zod';
import type { Text } from './i18n.ts';
import { AreaId, GRID_TYPES } from './areas.ts';

/** Any JSON object claimed to be GeoJSON; the domain validates it and names each problem and where. */
export const GeoJsonInput = z.record(z.string(), z.unknown()).describe('GeoJSON Polygon (or a Feature with a Polygon geometry), WGS-84, RFC 7946 winding');
const Position = z.tuple([z.number(), z.number()]);
export const PolygonOut = z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.array(z.number()))) });
export const AnyGeometryOut = z.object({ type: z.string(), coordinates: z.unknown() });

export const STAFF_DUTIES = ['grid_leader', 'grid_worker', 'info_officer', 'building_head', 'party_leader'] as const;
export const staffDutyLabels: Record<(typeof STAFF_DUTIES)[number], Text> = {
  grid_leader: { 'zh-CN': '网格长', en: 'Grid leader' },
  grid_worker: { 'zh-CN': '网格员', en: 'Grid worker' },
  info_officer: { 'zh-CN': '网格信息员', en: 'Information officer' },
  building_head: { 'zh-CN': '楼栋长', en: 'Building head' },
  party_leader: { 'zh-CN': '网格党小组长', en: 'Party group leader' },
};

/** Figures a grid can be coloured by; later modules (registry, cases) add theirs here. */
export const GRID_FIGURES = ['buildings', 'staff', 'openCases', 'areaKm2'] as const;

export const GridFeature = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: PolygonOut,
  properties: z.object({
    id: z.string(),
    parentId: z.string(),
    code: z.string(),
    name: z.string(),
    gridType: z.enum(GRID_TYPES),
    depth: z.number().int(),
    figures: z.record(z.string(), z.number()),
  }),
});
export const GridMap = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(GridFeature),
  outline: PolygonOut.nullable(),
  /** Boundaries of the areas between the chosen area and its grids (the communities of a street…). */
  boundaries: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), level: z.string(), geometry: PolygonOut })),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
});
export type GridMap = z.infer<typeof GridMap>;

export const StaffView = z.object({
  id: z.string(),
  gridId: z.string(),
  duty: z.enum(STAFF_DUTIES),
  name: z.string(),
  phone: z.string().nullable(),
  userId: z.string().nullable(),
  /** The linked sign-in account's name (null when not linked). */
  username: z.string().nullable(),
  serviceItems: z.string(),
  isPublic: z.boolean(),
});
export type StaffView = z.infer<typeof StaffView>;
export const StaffBody = z.strictObject({
  duty: z.enum(STAFF_DUTIES),
  name: z.string().trim().min(1).max(40),
  phone: z.string().trim().regex(/^[0-9+\-\s]{5,20}$/, 'phone: 5–20 digits').nullable().optional(),
  userId: z.string().uuid().nullable().optional(),
  serviceItems: z.string().trim().max(500).default(''),
  isPublic: z.boolean().default(true),
});
export const StaffParams = z.strictObject({ id: AreaId, staffId: z.string().uuid() });

export const GridCard = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  gridType: z.enum(GRID_TYPES),
  depth: z.number().int(),
  parentName: z.string(),
  staff: z.array(StaffView),
  figures: z.record(z.string(), z.number()),
  version: z.number().int(),
  validFrom: z.string(),
});

export const CoverProblemView = z.object({
  kind: z.enum(['gap', 'overlap', 'outside_parent']),
  areaM2: z.number(),
  gridIds: z.array(z.string()),
  codes: z.array(z.string()),
  where: z.string(),
  geometry: AnyGeometryOut,
});

const NewGridInput = z.strictObject({
  nameZh: z.string().trim().min(1).max(60),
  gridType: z.enum(GRID_TYPES).default('basic'),
  code: z.string().regex(/^\d{15,18}$/).optional(),
  geometry: GeoJsonInput,
});

/** Fields every adjustment accepts. */
const adjustmentCommon = {
  reason: z.string().trim().max(500).optional(),
  /** Accept every gap the cover check finds as intentional, with this reason (overlaps can never be accepted). */
  acceptGapsReason: z.string().trim().min(2).max(500).optional(),
};

export const AdjustmentRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('create'), grid: NewGridInput, ...adjustmentCommon }),
  z.strictObject({ kind: z.literal('redraw'), grids: z.array(z.strictObject({ id: AreaId, geometry: GeoJsonInput })).min(1).max(500), ...adjustmentCommon }),
  z.strictObject({ kind: z.literal('split'), gridId: AreaId, line: z.array(Position).min(2).max(1000), names: z.tuple([z.string().min(1).max(60), z.string().min(1).max(60)]).optional(), ...adjustmentCommon }),
  z.strictObject({ kind: z.literal('merge'), gridIds: z.array(AreaId).min(2).max(50), nameZh: z.string().trim().min(1).max(60).optional(), ...adjustmentCommon }),
  z.strictObject({ kind: z.literal('retire'), gridId: AreaId, ...adjustmentCommon }),
  z.strictObject({ kind: z.literal('import'), featureCollection: GeoJsonInput, ...adjustmentCommon }),
  z.strictObject({ kind: z.literal('renumber'), ...adjustmentCommon }),
]);
export type AdjustmentRequest = z.infer<typeof AdjustmentRequest>;

export const AdjustmentPreview = z.object({
  ok: z.boolean(),
  problems: z.array(CoverProblemView),
  coveredShare: z.number(),
  creates: z.array(z.object({ tempId: z.string(), code: z.string(), nameZh: z.string(), gridType: z.enum(GRID_TYPES), geometry: PolygonOut })),
  updates: z.array(z.object({ id: z.string(), code: z.string(), nameZh: z.string(), geometryChanged: z.boolean() })),
  retires: z.array(z.object({ id: z.string(), code: z.string(), nameZh: z.string() })),
  moves: z.array(z.object({ kind: z.string(), id: z.string(), label: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
  movesByKind: z.record(z.string(), z.number()),
});
export type AdjustmentPreview = z.infer<typeof AdjustmentPreview>;

export const AdjustmentView = z.object({
  id: z.string(),
  kind: z.string(),
  parentId: z.string(),
  reason: z.string().nullable(),
  summary: z.unknown(),
  actorName: z.string().nullable(),
  createdAt: z.string(),
  revertedAt: z.string().nullable(),
});
export const AdjustmentList = z.object({ items: z.array(AdjustmentView) });
export const AdjustmentParams = z.strictObject({ id: AreaId, adjustmentId: z.string().uuid() });

export const BuildingView = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string().nullable(),
  address: z.string().nullable(),
  lon: z.number(),
  lat: z.number(),
  floors: z.number().nullable(),
  gridId: z.string().nullable(),
  gridCode: z.string().nullable(),
  gridName: z.string().nullable(),
  gridPinned: z.boolean(),
  pinReason: z.string().nullable(),
});
export const BuildingList = z.object({ items: z.array(BuildingView) });
export const BuildingBody = z.strictObject({
  name: z.string().trim().min(1).max(80),
  code: z.string().trim().max(40).optional(),
  address: z.string().trim().max(200).optional(),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  floors: z.number().int().min(1).max(200).optional(),
});
export const BuildingPinBody = z.strictObject({
  gridId: AreaId.nullable().describe('null = computed from the location again'),
  reason: z.string().trim().min(2).max(300).optional(),
});
export const BuildingParams = z.strictObject({ buildingId: z.string().uuid() });

export const LocateQuery = z.strictObject({
  lon: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
  nearMetres: z.coerce.number().min(0).max(500).default(30),
});
const LocatedArea = z.object({ id: z.string(), code: z.string(), name: z.string(), level: z.string(), gridType: z.enum(GRID_TYPES).nullable() });
export const LocateResult = z.object({
  grid: LocatedArea.nullable(),
  basic: z.array(LocatedArea),
  dedicated: z.array(LocatedArea),
  path: z.array(LocatedArea),
  nearBoundary: z.array(LocatedArea),
});
export type LocateResult = z.infer<typeof LocateResult>;

export const PublicContact = z.object({
  grid: z.object({ code: z.string(), name: z.string(), community: z.string(), street: z.string() }),
  staff: z.array(z.object({ duty: z.enum(STAFF_DUTIES), name: z.string(), phone: z.string().nullable(), serviceItems: z.string() })),
});
export const PublicGridParams = z.strictObject({ code: z.string().regex(/^\d{15,18}$/) });
