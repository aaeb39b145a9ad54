/**
 * National grid numbering: grids inside a community are "numbered west→east, north→south",
 * i.e. row-major reading order starting in the north-west corner.
 */

/**
 * Returns `items` (a new array) in grid numbering order. Items are grouped into latitude
 * bands (north first) and each band is read west→east. The band count is round(sqrt(n)),
 * which fits roughly square layouts; an irregular layout still gets a stable, readable order.
 */
export function numberWestEastNorthSouth<T>(items: T[], centroid: (t: T) => [lon: number, lat: number]): T[] {
  const n = items.length;
  if (n === 0) return [];
  const entries = items.map((item, index) => {
    const [lon, lat] = centroid(item);
    return { item, index, lon, lat };
  });

  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const e of entries) {
    minLat = Math.min(minLat, e.lat);
    maxLat = Math.max(maxLat, e.lat);
  }
  const rows = Math.max(1, Math.round(Math.sqrt(n)));
  const band = (maxLat - minLat) / rows;

  const rowOf = (lat: number): number => {
    // All items on one latitude (or a single item): a single row.
    if (!(band > 0)) return 0;
    return Math.min(rows - 1, Math.max(0, Math.floor((maxLat - lat) / band)));
  };

  const keyed = entries.map((e) => ({ ...e, row: rowOf(e.lat) }));
  keyed.sort(
    (a, b) =>
      a.row - b.row ||
      a.lon - b.lon ||
      b.lat - a.lat || // tie on longitude: northern first
      a.index - b.index, // identical centroids: keep input order
  );
  return keyed.map((e) => e.item);
}

/** 15-digit grid code: the 12-digit community code followed by a 3-digit sequence (001..999). */
export function gridCode(communityCode12: string, seq: number): string {
  if (!/^\d{12}$/.test(communityCode12)) {
    throw new RangeError(`community code must be exactly 12 digits, got "${communityCode12}"`);
  }
  if (!Number.isInteger(seq) || seq < 1 || seq > 999) {
    throw new RangeError(`grid sequence must be an integer in 1..999, got ${seq}`);
  }
  return communityCode12 + String(seq).padStart(3, '0');
}
