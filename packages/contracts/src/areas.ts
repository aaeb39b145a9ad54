import { z } from 'zod';
import type { Text } from './i18n.ts';

/** Levels of the area tree, top-down. Grids may nest (大/中/小/微网格): nesting depth is data. */
export const AREA_LEVELS = ['province', 'city', 'district', 'street', 'community', 'grid'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export const areaLevelLabels: Record<AreaLevel, Text> = {
  province: { 'zh-CN': '省', en: 'Province' },
  city: { 'zh-CN': '市', en: 'City' },
  district: { 'zh-CN': '区/县', en: 'District' },
  street: { 'zh-CN': '街道/乡镇', en: 'Street / township' },
  community: { 'zh-CN': '社区/村', en: 'Community / village' },
  grid: { 'zh-CN': '网格', en: 'Grid' },
};

export const GRID_TYPES = ['basic', 'dedicated'] as const;
export type GridType = (typeof GRID_TYPES)[number];
export const gridTypeLabels: Record<GridType, Text> = {
  basic: { 'zh-CN': '基础网格', en: 'Basic grid' },
  dedicated: { 'zh-CN': '专属网格', en: 'Dedicated grid' },
};

export const AreaId = z.string().regex(/^\d{1,18}$/, 'area id');

export const AreaCounts = z.object({
  children: z.number().int(),
  streets: z.number().int(),
  communities: z.number().int(),
  grids: z.number().int(),
  users: z.number().int(),
});
export type AreaCounts = z.infer<typeof AreaCounts>;

export const AreaSummary = z.object({
  id: AreaId,
  parentId: AreaId.nullable(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  level: z.enum(AREA_LEVELS),
  gridType: z.enum(GRID_TYPES).nullable(),
  depth: z.number().int(),
  hasChildren: z.boolean(),
  counts: AreaCounts,
});
export type AreaSummary = z.infer<typeof AreaSummary>;

export const AreaDetail = AreaSummary.extend({
  ancestors: z.array(z.object({ id: AreaId, code: z.string(), nameZh: z.string(), nameEn: z.string().nullable(), level: z.enum(AREA_LEVELS) })),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  hasGeometry: z.boolean(),
});
export type AreaDetail = z.infer<typeof AreaDetail>;

export const AreaList = z.object({ items: z.array(AreaSummary) });
export const AreaIdParams = z.strictObject({ id: AreaId });

export const AreaSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(50),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const AreaUpdateBody = z.strictObject({
  nameZh: z.string().trim().min(1).max(100).optional(),
  nameEn: z.string().trim().max(200).nullable().optional(),
});
