/**
 * The map's style: a plain background (or raster tiles, when the deployment has a tile server)
 * under our own GeoJSON layers. Text is drawn from local fonts, so no glyph server is needed.
 */
import type { Feature } from 'geojson';
import type {
  ExpressionSpecification, GeoJSONSource, LayerSpecification, Map as MapLibreMap, SourceSpecification, StyleSpecification,
} from 'maplibre-gl';

/** Sequential ramp, light to dark (ColorBrewer GnBu). */
export const RAMP = ['#f0f9e8', '#bae4bc', '#7bccc4', '#43a2ca', '#0868ac'];
const MIDDLE = '#7bccc4';
export const NO_DATA = '#e8e8e8';
export const COLORS = {
  background: '#f4f3ef',
  line: '#ffffff',
  outline: '#262626',
  selected: '#1677ff',
  dedicated: '#722ed1',
  gap: '#f5222d',
  overlap: '#820014',
  outside_parent: '#fa8c16',
  proposed: '#1677ff',
  edit: '#fa541c',
  building: '#434343',
} as const;

const SOURCES = ['grids', 'labels', 'boundaries', 'outline', 'proposed', 'problems', 'buildings', 'edit', 'draft'] as const;
type SourceId = (typeof SOURCES)[number];

export const GRID_LAYERS = ['grid-dedicated-fill', 'grid-fill'];
export const HANDLE_LAYER = 'edit-handle';
const HIGHLIGHT_LAYERS = { selected: 'grid-selected', marked: 'grid-marked' } as const;

const isPoint: ExpressionSpecification = ['==', ['geometry-type'], 'Point'];
const isArea: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
const isDedicated: ExpressionSpecification = ['==', ['get', 'gridType'], 'dedicated'];
const none: ExpressionSpecification = ['in', ['get', 'id'], ['literal', []]];
const byKind = (fallback: string): ExpressionSpecification =>
  ['match', ['get', 'kind'], 'gap', COLORS.gap, 'overlap', COLORS.overlap, 'outside_parent', COLORS.outside_parent, fallback];

const LAYERS: LayerSpecification[] = [
  { id: 'grid-fill', type: 'fill', source: 'grids', filter: ['!', isDedicated], paint: { 'fill-color': NO_DATA, 'fill-opacity': 0.85 } },
  { id: 'grid-dedicated-fill', type: 'fill', source: 'grids', filter: isDedicated, paint: { 'fill-pattern': 'hatch-dedicated' } },
  { id: 'grid-line', type: 'line', source: 'grids', filter: ['!', isDedicated], paint: { 'line-color': COLORS.line, 'line-width': 1.2 } },
  {
    id: 'grid-dedicated-line', type: 'line', source: 'grids', filter: isDedicated,
    paint: { 'line-color': COLORS.dedicated, 'line-width': 2, 'line-dasharray': [3, 2] },
  },
  // Community (and other intermediate) boundaries inside the chosen area.
  { id: 'boundary-line', type: 'line', source: 'boundaries', paint: { 'line-color': COLORS.outline, 'line-width': 1.8, 'line-dasharray': [4, 2], 'line-opacity': 0.8 } },
  { id: 'outline-line', type: 'line', source: 'outline', paint: { 'line-color': COLORS.outline, 'line-width': 2.5 } },
  { id: 'grid-marked', type: 'fill', source: 'grids', filter: none, paint: { 'fill-color': COLORS.selected, 'fill-opacity': 0.35 } },
  { id: 'grid-selected', type: 'line', source: 'grids', filter: none, paint: { 'line-color': COLORS.selected, 'line-width': 3.5 } },
  { id: 'proposed-fill', type: 'fill', source: 'proposed', paint: { 'fill-color': COLORS.proposed, 'fill-opacity': 0.12 } },
  {
    id: 'proposed-line', type: 'line', source: 'proposed',
    paint: { 'line-color': COLORS.proposed, 'line-width': 2.5, 'line-dasharray': [2, 1.5] },
  },
  { id: 'problem-fill', type: 'fill', source: 'problems', filter: isArea, paint: { 'fill-color': byKind(COLORS.gap), 'fill-opacity': 0.55 } },
  {
    id: 'problem-hatch', type: 'fill', source: 'problems', filter: ['all', isArea, ['==', ['get', 'kind'], 'gap']],
    paint: { 'fill-pattern': 'hatch-gap' },
  },
  { id: 'problem-line', type: 'line', source: 'problems', filter: isArea, paint: { 'line-color': byKind(COLORS.gap), 'line-width': 2 } },
  {
    id: 'buildings', type: 'circle', source: 'buildings',
    paint: { 'circle-radius': 3.5, 'circle-color': COLORS.building, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 },
  },
  {
    // A point per grid: labels placed on the polygons themselves would repeat in every tile.
    id: 'grid-label', type: 'symbol', source: 'labels',
    layout: {
      'text-field': ['get', 'name'],
      'text-size': 12,
      'text-max-width': 7,
      'text-font': ['sans-serif'],
      // A dedicated grid often sits where its basic grid's label would: it keeps the spot, the other moves aside.
      'symbol-sort-key': ['case', isDedicated, 0, 1],
      'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'],
      'text-radial-offset': 1.8,
    },
    paint: { 'text-color': ['case', isDedicated, COLORS.dedicated, '#1f1f1f'], 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
  },
  {
    id: 'problem-at', type: 'circle', source: 'problems', filter: isPoint,
    paint: { 'circle-radius': 7, 'circle-color': COLORS.gap, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
  },
  { id: 'edit-line', type: 'line', source: 'edit', filter: isArea, paint: { 'line-color': COLORS.edit, 'line-width': 2.5 } },
  {
    id: HANDLE_LAYER, type: 'circle', source: 'edit', filter: isPoint,
    paint: { 'circle-radius': 6, 'circle-color': '#fff', 'circle-stroke-color': COLORS.edit, 'circle-stroke-width': 2.5 },
  },
  { id: 'draft-fill', type: 'fill', source: 'draft', filter: isArea, paint: { 'fill-color': COLORS.proposed, 'fill-opacity': 0.2 } },
  {
    id: 'draft-line', type: 'line', source: 'draft', filter: ['!', isPoint],
    paint: { 'line-color': COLORS.proposed, 'line-width': 2, 'line-dasharray': [2, 1] },
  },
  {
    id: 'draft-vertex', type: 'circle', source: 'draft', filter: isPoint,
    paint: { 'circle-radius': 4.5, 'circle-color': '#fff', 'circle-stroke-color': COLORS.proposed, 'circle-stroke-width': 2 },
  },
];

const emptySource = (): SourceSpecification => ({ type: 'geojson', data: { type: 'FeatureCollection', features: [] } });

export function mapStyle(tileUrl: string | null): StyleSpecification {
  const tiles: Record<string, SourceSpecification> = tileUrl ? { tiles: { type: 'raster', tiles: [tileUrl], tileSize: 256 } } : {};
  return {
    version: 8,
    sources: { ...tiles, ...Object.fromEntries(SOURCES.map((id) => [id, emptySource()])) },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': COLORS.background } },
      ...(tileUrl ? [{ id: 'tiles', type: 'raster', source: 'tiles', paint: { 'raster-opacity': 0.8 } } as const] : []),
      ...LAYERS,
    ],
  };
}

/** A repeating diagonal hatch, `size` pixels square, in the given colour. */
function hatch(color: string, size = 8) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x + y) % size > 1) continue;
      data.set([r ?? 0, g ?? 0, b ?? 0, 230], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

/** The fill patterns the layers use; call once the style has loaded (before any data arrives). */
export function addPatterns(map: MapLibreMap): void {
  map.addImage('hatch-dedicated', hatch(COLORS.dedicated));
  map.addImage('hatch-gap', hatch(COLORS.gap, 6));
}

/** Colours grids by `value` along the ramp, from `min` (lightest) to `max` (darkest). */
export function rampExpression(min: number, max: number): ExpressionSpecification {
  const ramp: ExpressionSpecification = max > min
    ? ['interpolate', ['linear'], ['get', 'value'], ...RAMP.flatMap((c, i) => [min + ((max - min) * i) / (RAMP.length - 1), c])]
    : ['literal', MIDDLE];
  return ['case', ['==', ['typeof', ['get', 'value']], 'number'], ramp, NO_DATA];
}

/** Marks grids by id: `selected` outlines one, `marked` tints several (merge). */
export function setHighlight(map: MapLibreMap, which: keyof typeof HIGHLIGHT_LAYERS, ids: string[]): void {
  map.setFilter(HIGHLIGHT_LAYERS[which], ['in', ['get', 'id'], ['literal', ids]]);
}

export function setSourceData(map: MapLibreMap, id: SourceId, features: Feature[]): void {
  map.getSource<GeoJSONSource>(id)?.setData({ type: 'FeatureCollection', features });
}
