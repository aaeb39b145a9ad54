import { describe, it, expect } from 'vitest';
import { SUGGEST_THRESHOLD, WEIGHTS, boxAround, charPairs, distanceM, duplicateScore, textSimilarity, type DuplicateSignals } from './duplicates.rules.ts';

// ── Fixtures ──────────────────────────────────────────────────────────────────

const EARTH_R = 6_371_008.8; // the sphere distanceM uses
const rad = (deg: number) => (deg * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

/** The point `metres` away from (lon, lat) on a bearing (degrees from north), on distanceM's sphere. */
function destination(lon: number, lat: number, bearing: number, metres: number): [number, number] {
  const d = metres / EARTH_R;
  const φ1 = rad(lat);
  const θ = rad(bearing);
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ));
  const λ2 = rad(lon) + Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
  return [deg(λ2), deg(φ2)];
}

const inBox = (b: ReturnType<typeof boxAround>, [lon, lat]: [number, number]) => lon >= b.minLon && lon <= b.maxLon && lat >= b.minLat && lat <= b.maxLat;

const DAY = 86_400_000;
const RADIUS = 200;
const WINDOW = 7 * DAY;
const signals = (over: Partial<DuplicateSignals>): DuplicateSignals => ({ distanceM: null, ageMs: WINDOW + 1, sameCategory: 'none', textSimilarity: 0, ...over });
const score = (over: Partial<DuplicateSignals>) => duplicateScore(signals(over), RADIUS, WINDOW);
const suggested = (over: Partial<DuplicateSignals>) => score(over).score >= SUGGEST_THRESHOLD;

const GARBAGE = '小区门口有暴露垃圾';
const GARBAGE_AGAIN = '门口暴露垃圾没人清理';
const STREETLIGHT = '路灯不亮';

// ── Text ──────────────────────────────────────────────────────────────────────

describe('textSimilarity', () => {
  it('finds two descriptions of the same garbage similar (4 shared character pairs of 13)', () => {
    expect(textSimilarity(GARBAGE, GARBAGE_AGAIN)).toBeCloseTo(4 / 13, 10);
    expect(textSimilarity(GARBAGE, GARBAGE_AGAIN)).toBeGreaterThanOrEqual(0.15);
  });

  it('finds a broken street light unlike the garbage', () => {
    expect(textSimilarity(GARBAGE, STREETLIGHT)).toBe(0);
    expect(textSimilarity(GARBAGE_AGAIN, STREETLIGHT)).toBe(0);
  });

  it('is symmetric, 1 for the same text, 0 for an empty one', () => {
    expect(textSimilarity(GARBAGE_AGAIN, GARBAGE)).toBe(textSimilarity(GARBAGE, GARBAGE_AGAIN));
    expect(textSimilarity(GARBAGE, GARBAGE)).toBe(1);
    expect(textSimilarity(GARBAGE, '')).toBe(0);
    expect(textSimilarity('', '')).toBe(0);
  });

  it('ignores punctuation, spaces and case', () => {
    expect(textSimilarity('门口，暴露 垃圾！', '门口暴露垃圾')).toBe(1);
    expect(textSimilarity('5号楼 LED灯坏了', '5号楼led灯坏了')).toBe(1);
  });

  it('pairs neighbouring characters, and keeps a lone character', () => {
    expect([...charPairs('暴露垃圾')]).toEqual(['暴露', '露垃', '垃圾']);
    expect([...charPairs('？水')]).toEqual(['水']);
    expect(textSimilarity('水', '水')).toBe(1);
  });
});

// ── Distance and box ──────────────────────────────────────────────────────────

describe('distanceM', () => {
  it('measures one degree of latitude as about 111.2 km', () => {
    const d = distanceM(116.4, 39, 116.4, 40);
    expect(Math.abs(d - 111_200) / 111_200).toBeLessThan(0.005);
  });

  it('measures a degree of longitude shrinking with latitude (half at 60°)', () => {
    expect(distanceM(0, 0, 1, 0) / distanceM(0, 60, 1, 60)).toBeCloseTo(2, 3);
  });

  it('is 0 for the same point and symmetric', () => {
    expect(distanceM(116.397, 39.909, 116.397, 39.909)).toBe(0);
    expect(distanceM(116.397, 39.909, 116.41, 39.92)).toBeCloseTo(distanceM(116.41, 39.92, 116.397, 39.909), 6);
  });
});

describe('boxAround', () => {
  const centres: Array<[string, number, number]> = [['三亚', 109.5, 18.25], ['北京', 116.397, 39.909], ['漠河', 122.53, 52.97]];
  const bearings = Array.from({ length: 24 }, (_, i) => i * 15);

  it.each(centres)('around %s holds every point within the radius, in every direction', (_name, lon, lat) => {
    for (const r of [50, 200, 500, 2000]) {
      const box = boxAround(lon, lat, r);
      for (const b of bearings) {
        const p = destination(lon, lat, b, r - 0.01); // 1 cm inside: distanceM calls it near
        expect(distanceM(lon, lat, p[0], p[1])).toBeLessThanOrEqual(r);
        expect(inBox(box, p), `${r} m at ${b}°: ${p.join(', ')} not in ${JSON.stringify(box)}`).toBe(true);
      }
    }
  });

  it('holds a case 199.9 m due north, which duplicateScore calls near', () => {
    const [lon, lat] = [116.397, 39.909];
    const p = destination(lon, lat, 0, 199.9);
    expect(duplicateScore(signals({ distanceM: distanceM(lon, lat, p[0], p[1]) }), RADIUS, WINDOW).reasons).toEqual(['near']);
    expect(inBox(boxAround(lon, lat, RADIUS), p)).toBe(true);
  });

  it.each(centres)('around %s is no wider than it must be: 525 m north, south, east or west of a 500 m box is outside', (_name, lon, lat) => {
    const box = boxAround(lon, lat, 500);
    for (const b of [0, 90, 180, 270]) expect(inBox(box, destination(lon, lat, b, 525)), `${b}°`).toBe(false);
  });
});

// ── Score ─────────────────────────────────────────────────────────────────────

describe('duplicateScore', () => {
  it('adds every signal, to 1 for the same place, now, the same leaf category and the same words', () => {
    expect(score({ distanceM: 0, ageMs: 0, sameCategory: 'leaf', textSimilarity: 1 })).toEqual({ score: 1, reasons: ['near', 'recent', 'same_category', 'similar_text'] });
    expect(WEIGHTS.near + WEIGHTS.recent + WEIGHTS.leaf + WEIGHTS.text).toBeCloseTo(1, 10);
  });

  it('gives nothing for a far, old, other-category case with other words', () => {
    expect(score({ distanceM: 5000, ageMs: 30 * DAY })).toEqual({ score: 0, reasons: [] });
  });

  it('counts nearness down to half its weight at the radius, and not beyond', () => {
    expect(score({ distanceM: 0 })).toEqual({ score: 0.35, reasons: ['near'] });
    expect(score({ distanceM: RADIUS })).toEqual({ score: 0.175, reasons: ['near'] });
    expect(score({ distanceM: RADIUS + 0.1 })).toEqual({ score: 0, reasons: [] });
    expect(score({ distanceM: null })).toEqual({ score: 0, reasons: [] });
  });

  it('counts recency down to nothing at the end of the window (a report from the future counts as now)', () => {
    expect(score({ ageMs: 0 }).score).toBe(0.15);
    expect(score({ ageMs: WINDOW / 2 }).score).toBe(0.075);
    expect(score({ ageMs: -DAY }).score).toBe(0.15);
    expect(score({ ageMs: WINDOW + 1 }).reasons).toEqual([]);
  });

  it('weighs the same leaf category above the same top category', () => {
    expect(score({ sameCategory: 'leaf' })).toEqual({ score: 0.25, reasons: ['same_category'] });
    expect(score({ sameCategory: 'top' })).toEqual({ score: 0.12, reasons: ['same_category'] });
  });

  it('counts similar words from 0.15 on, full weight from 2/3', () => {
    expect(score({ textSimilarity: 0.149 })).toEqual({ score: 0, reasons: [] });
    expect(score({ textSimilarity: 0.15 })).toEqual({ score: 0.056, reasons: ['similar_text'] });
    expect(score({ textSimilarity: 0.8 }).score).toBe(0.25);
    expect(score({ textSimilarity: 1 }).score).toBe(0.25);
  });

  it('scores the garbage reported again yesterday 100 m away in the same top category', () => {
    const s = score({ distanceM: 100, ageMs: DAY, sameCategory: 'top', textSimilarity: textSimilarity(GARBAGE, GARBAGE_AGAIN) });
    // 0.35 × 0.75 + 0.15 × 6/7 + 0.12 + 0.25 × (4/13 × 1.5)
    expect(s).toEqual({ score: 0.626, reasons: ['near', 'recent', 'same_category', 'similar_text'] });
  });

  describe('the suggestion threshold', () => {
    it('is not reached by one kind of evidence alone, except the very same place', () => {
      expect(SUGGEST_THRESHOLD).toBe(0.35);
      expect(suggested({ sameCategory: 'leaf' })).toBe(false);
      expect(suggested({ textSimilarity: 1 })).toBe(false);
      expect(suggested({ ageMs: 0 })).toBe(false);
      expect(suggested({ distanceM: 1 })).toBe(false);
      expect(suggested({ distanceM: 0 })).toBe(true);
    });

    it('is reached by two kinds together', () => {
      expect(suggested({ sameCategory: 'leaf', ageMs: 0 })).toBe(true);
      expect(suggested({ sameCategory: 'top', textSimilarity: 1 })).toBe(true);
      expect(suggested({ distanceM: RADIUS / 2, ageMs: DAY })).toBe(true);
      expect(suggested({ distanceM: RADIUS, ageMs: DAY })).toBe(false); // 0.175 + 0.129
    });

    it('is not reached by a street light reported nearby last week under another category', () => {
      expect(suggested({ distanceM: 150, ageMs: 6 * DAY, textSimilarity: textSimilarity(GARBAGE, STREETLIGHT) })).toBe(false);
    });
  });
});
