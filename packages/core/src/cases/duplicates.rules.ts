/**
 * Possible duplicates at intake: open cases near the place, reported recently, of the same
 * category, with similar words. Each signal adds to a score in [0, 1]; the reasons are shown to
 * the operator, who decides (merging is a deliberate step, never automatic).
 */

export interface DuplicateSignals {
  distanceM: number | null;
  ageMs: number;
  sameCategory: 'leaf' | 'top' | 'none';
  textSimilarity: number;
}

export type DuplicateReason = 'near' | 'recent' | 'same_category' | 'similar_text';

export const WEIGHTS = { near: 0.35, recent: 0.15, leaf: 0.25, top: 0.12, text: 0.25 } as const;
export const SUGGEST_THRESHOLD = 0.35;

export function duplicateScore(s: DuplicateSignals, radiusM: number, windowMs: number): { score: number; reasons: DuplicateReason[] } {
  const reasons: DuplicateReason[] = [];
  let score = 0;
  if (s.distanceM !== null && s.distanceM <= radiusM) {
    score += WEIGHTS.near * (1 - s.distanceM / radiusM / 2);
    reasons.push('near');
  }
  if (s.ageMs <= windowMs) {
    score += WEIGHTS.recent * (1 - Math.max(0, s.ageMs) / windowMs);
    reasons.push('recent');
  }
  if (s.sameCategory !== 'none') {
    score += s.sameCategory === 'leaf' ? WEIGHTS.leaf : WEIGHTS.top;
    reasons.push('same_category');
  }
  if (s.textSimilarity >= 0.15) {
    score += WEIGHTS.text * Math.min(1, s.textSimilarity * 1.5);
    reasons.push('similar_text');
  }
  return { score: Math.round(score * 1000) / 1000, reasons };
}

/** Distinct character pairs of the text's letters and digits (Chinese has no spaces: pairs are its words' stand-in). */
export function charPairs(text: string): Set<string> {
  const chars = [...text.toLowerCase()].filter((ch) => /[\p{L}\p{N}]/u.test(ch));
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  if (chars.length === 1) out.add(chars[0]!);
  return out;
}

/** Jaccard similarity of the two texts' character pairs. */
export function textSimilarity(a: string, b: string): number {
  const x = charPairs(a);
  const y = charPairs(b);
  if (x.size === 0 || y.size === 0) return 0;
  let common = 0;
  for (const p of x) if (y.has(p)) common++;
  return common / (x.size + y.size - common);
}

/** Great-circle distance in metres (WGS-84 mean radius). */
const EARTH_R = 6_371_008.8;

export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = EARTH_R;
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A lon/lat box that holds every point within `radiusM` of the centre, on the same sphere as `distanceM`. */
export function boxAround(lon: number, lat: number, radiusM: number) {
  const d = radiusM / EARTH_R; // angular radius
  const dLat = (d * 180) / Math.PI;
  const c = Math.cos((lat * Math.PI) / 180);
  const dLon = Math.sin(d) >= c ? 180 : (Math.asin(Math.sin(d) / c) * 180) / Math.PI;
  return { minLon: lon - dLon, minLat: lat - dLat, maxLon: lon + dLon, maxLat: lat + dLat };
}
