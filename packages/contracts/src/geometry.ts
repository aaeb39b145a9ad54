import type { Text } from './i18n.ts';

/** Each problem `validatePolygon` can find in a polygon, with `{where}` saying where (for messages and the map). */
export const geometryProblemMessages = {
  'geometry.invalid_geojson': { 'zh-CN': '不是有效的 GeoJSON：{where}', en: 'Not valid GeoJSON: {where}' },
  'geometry.not_polygon': { 'zh-CN': '图形必须是单个多边形（Polygon）：{where}', en: 'The shape must be a single Polygon: {where}' },
  'geometry.ring_not_closed': {
    'zh-CN': '边界未闭合（首点与末点不同）：{where}',
    en: 'A ring is not closed (its first and last positions differ): {where}',
  },
  'geometry.too_few_points': {
    'zh-CN': '边界点数过少（闭合环至少需要 4 个坐标）：{where}',
    en: 'A ring has too few positions (a closed ring needs at least 4): {where}',
  },
  'geometry.self_intersection': { 'zh-CN': '边界自相交：{where}', en: 'The outline crosses itself: {where}' },
  'geometry.wrong_winding': {
    'zh-CN': '边界方向错误（外环须逆时针、内环须顺时针）：{where}',
    en: 'Wrong ring orientation (exterior counter-clockwise, holes clockwise): {where}',
  },
  'geometry.coordinate_out_of_range': {
    'zh-CN': '坐标超出范围（经度 -180～180，纬度 -90～90）：{where}',
    en: 'Coordinate out of range (longitude -180..180, latitude -90..90): {where}',
  },
  'geometry.hole_outside': { 'zh-CN': '内环（洞）不在外环之内：{where}', en: 'A hole lies outside the exterior ring: {where}' },
} as const satisfies Record<string, Text>;
export type GeometryProblemCode = keyof typeof geometryProblemMessages;

/** Each problem of the seamless-cover check (无缝覆盖), keyed by kind. */
export const coverProblemMessages = {
  gap: { 'zh-CN': '有 {areaM2} 平方米未被网格覆盖（位置 {where}）', en: 'a gap of {areaM2} m² not covered by any grid (at {where})' },
  overlap: { 'zh-CN': '网格 {grids} 重叠 {areaM2} 平方米（位置 {where}）', en: 'grids {grids} overlap by {areaM2} m² (at {where})' },
  outside_parent: { 'zh-CN': '网格 {grids} 有 {areaM2} 平方米超出上级区域（位置 {where}）', en: 'grid {grids} extends {areaM2} m² beyond its parent (at {where})' },
} as const satisfies Record<string, Text>;
