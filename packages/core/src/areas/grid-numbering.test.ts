import { describe, it, expect } from 'vitest';
import { gridCode, numberWestEastNorthSouth } from './grid-numbering.ts';

interface Cell {
  label: string;
  lon: number;
  lat: number;
}
const at = (c: Cell): [number, number] => [c.lon, c.lat];

/** Tiny deterministic PRNG so the "jittered" layout is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Lattice of `size`×`size` cells; label = expected reading-order number (1 = north-west). */
function lattice(size: number, jitter = 0, seed = 1): Cell[] {
  const rnd = lcg(seed);
  const cells: Cell[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      cells.push({
        label: String(r * size + c + 1),
        lon: 107 + c * 0.01 + (rnd() - 0.5) * 2 * jitter,
        lat: 33 - r * 0.01 + (rnd() - 0.5) * 2 * jitter,
      });
    }
  }
  return cells;
}

function shuffled<T>(items: T[], seed: number): T[] {
  const rnd = lcg(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const labels = (cells: Cell[]) => cells.map((c) => c.label);

describe('numberWestEastNorthSouth', () => {
  it('numbers a 3x3 lattice 1..9 in reading order, whatever the input order', () => {
    const expected = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
    for (const seed of [1, 2, 3, 42]) {
      expect(labels(numberWestEastNorthSouth(shuffled(lattice(3), seed), at))).toEqual(expected);
    }
  });

  it('numbers a jittered 4x4 layout in reading order', () => {
    // Jitter up to 30% of the spacing in both axes.
    const cells = lattice(4, 0.003, 7);
    const ordered = numberWestEastNorthSouth(shuffled(cells, 5), at);
    expect(labels(ordered)).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1)));
  });

  it('keeps a single latitude as one row ordered west to east', () => {
    const cells: Cell[] = [
      { label: 'c', lon: 3, lat: 10 },
      { label: 'a', lon: 1, lat: 10 },
      { label: 'b', lon: 2, lat: 10 },
      { label: 'd', lon: 4, lat: 10 },
    ];
    expect(labels(numberWestEastNorthSouth(cells, at))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('breaks ties deterministically and does not mutate the input', () => {
    const cells: Cell[] = [
      { label: 'south', lon: 1, lat: 0 },
      { label: 'north', lon: 1, lat: 0.1 },
      { label: 'same1', lon: 0, lat: 0 },
      { label: 'same2', lon: 0, lat: 0 },
    ];
    const before = [...cells];
    // n = 4 → 2 rows; band = 0.05: 'north' is row 0, the rest row 1.
    expect(labels(numberWestEastNorthSouth(cells, at))).toEqual(['north', 'same1', 'same2', 'south']);
    expect(cells).toEqual(before);
  });

  it('handles empty and single inputs', () => {
    expect(numberWestEastNorthSouth([], at)).toEqual([]);
    const one: Cell = { label: 'x', lon: 1, lat: 1 };
    expect(numberWestEastNorthSouth([one], at)).toEqual([one]);
  });
});

describe('gridCode', () => {
  it('appends a zero-padded 3-digit sequence to the community code', () => {
    expect(gridCode('610702002001', 1)).toBe('610702002001001');
    expect(gridCode('610702002001', 42)).toBe('610702002001042');
    expect(gridCode('610702002001', 999)).toBe('610702002001999');
    expect(gridCode('610702002001', 7)).toHaveLength(15);
  });

  it('rejects malformed community codes', () => {
    for (const bad of ['', '61070200200', '6107020020011', '61070200200a', ' 10702002001']) {
      expect(() => gridCode(bad, 1)).toThrow(RangeError);
    }
  });

  it('rejects sequences outside 1..999', () => {
    for (const bad of [0, -1, 1000, 1.5, Number.NaN]) {
      expect(() => gridCode('610702002001', bad)).toThrow(RangeError);
    }
  });
});
