import { describe, it, expect } from 'vitest';
import { nameGrams, nameLikePattern, normalizeName, queryGrams } from './name-search.rules.ts';

const set = (xs: string[]) => new Set(xs);
const isSortedDistinct = (xs: string[]) => xs.every((x, i) => i === 0 || xs[i - 1]! < x);
/** True when every code point of the gram is a whole character (no lone surrogate halves). */
const wellFormed = (g: string) => [...g].every((c) => { const cp = c.codePointAt(0)!; return cp < 0xd800 || cp > 0xdfff; });

describe('normalizeName', () => {
  it('trims, applies NFKC, lower-cases A–Z and collapses whitespace', () => {
    expect(normalizeName('  张伟 ')).toBe('张伟');
    expect(normalizeName('ＺＨＡＮＧ　Wei')).toBe('zhang wei'); // full-width letters and space
    expect(normalizeName('John \t\n Smith')).toBe('john smith');
    expect(normalizeName('\uF900')).toBe('\u8C48'); // compatibility ideograph 豈 → unified 豈
  });

  it('lower-cases only ASCII letters (what lower() does on a C-locale database)', () => {
    expect(normalizeName('ÉLODIE')).toBe('Élodie');
  });

  it('keeps the middle dot of transliterated names', () => {
    expect(normalizeName('买买提·艾力')).toBe('买买提·艾力');
  });
});

describe('nameGrams', () => {
  it('two characters: both characters and the pair', () => {
    expect(set(nameGrams('张伟'))).toEqual(set(['张', '伟', '张伟']));
    expect(nameGrams('张伟')).toHaveLength(3);
  });

  it('is sorted and distinct', () => {
    const g = nameGrams('娜娜娜');
    expect(g).toEqual(['娜', '娜娜']);
    for (const name of ['欧阳娜娜', '张伟', 'Zhang Wei', '买买提·艾力']) expect(isSortedDistinct(nameGrams(name)), name).toBe(true);
  });

  it('four characters: four singles (one repeated) and three pairs', () => {
    expect(set(nameGrams('欧阳娜娜'))).toEqual(set(['欧', '阳', '娜', '欧阳', '阳娜', '娜娜']));
  });

  it('one character and empty', () => {
    expect(nameGrams('伟')).toEqual(['伟']);
    expect(nameGrams('')).toEqual([]);
    expect(nameGrams('   ')).toEqual([]);
  });

  it('works on the normalised name', () => {
    expect(nameGrams(' ＡＢ ')).toEqual(nameGrams('ab'));
    expect(set(nameGrams('Li  Na'))).toEqual(set(['l', 'i', ' ', 'n', 'a', 'li', 'i ', ' n', 'na']));
  });

  it('splits by characters, not UTF-16 units (CJK extension B)', () => {
    // 𠮷 (U+20BB7) takes two UTF-16 units.
    expect('𠮷'.length).toBe(2);
    expect(set(nameGrams('𠮷野'))).toEqual(set(['𠮷', '野', '𠮷野']));
    expect(set(nameGrams('王𠮷'))).toEqual(set(['王', '𠮷', '王𠮷']));
    for (const g of nameGrams('王𠮷𠮷野')) expect(wellFormed(g), JSON.stringify(g)).toBe(true);
  });
});

describe('queryGrams', () => {
  it('a 2+ character query needs its pairs', () => {
    expect(queryGrams('张伟')).toEqual(['张伟']);
    expect(set(queryGrams('欧阳娜娜'))).toEqual(set(['欧阳', '阳娜', '娜娜']));
    expect(queryGrams('娜娜娜')).toEqual(['娜娜']);
    expect(queryGrams('𠮷野')).toEqual(['𠮷野']);
  });

  it('a 1 character query needs the character', () => {
    expect(queryGrams('伟')).toEqual(['伟']);
    expect(queryGrams(' 𠮷 ')).toEqual(['𠮷']);
    expect(queryGrams('W')).toEqual(['w']);
  });

  it('an empty query needs nothing', () => {
    expect(queryGrams('')).toEqual([]);
    expect(queryGrams(' \u3000')).toEqual([]);
  });

  it('pairs alone do not decide: LIKE is still needed for 3+ characters', () => {
    // 'abba' holds 'ab' and 'ba' but not 'aba'.
    const have = set(nameGrams('abba'));
    expect(queryGrams('aba').every((g) => have.has(g))).toBe(true);
    expect(normalizeName('abba').includes('aba')).toBe(false);
  });
});

describe('nameLikePattern', () => {
  it('wraps the normalised query in % and escapes LIKE metacharacters', () => {
    expect(nameLikePattern(' 张伟 ')).toBe('%张伟%');
    expect(nameLikePattern('ZHANG')).toBe('%zhang%');
    expect(nameLikePattern('5%_\\')).toBe('%5\\%\\_\\\\%');
  });
});

describe('property: every name containing q holds queryGrams(q)', () => {
  // mulberry32: a seeded generator so a failure can be replayed.
  function rng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  // A small alphabet so that containment is frequent; includes a two-unit character, letters in
  // three forms that normalise alike, space, middle dot and a LIKE metacharacter.
  const ALPHABET = ['张', '伟', '王', '芳', '娜', '欧', '阳', '𠮷', 'A', 'a', 'Ａ', ' ', '·', '%'];
  const random = rng(20260302);
  const pick = () => ALPHABET[Math.floor(random() * ALPHABET.length)]!;
  const word = (min: number, max: number) => {
    const n = min + Math.floor(random() * (max - min + 1));
    return Array.from({ length: n }, pick).join('');
  };

  const names = Array.from({ length: 400 }, () => word(1, 6));
  const queries = new Set<string>(Array.from({ length: 150 }, () => word(1, 3)));
  for (const name of names.slice(0, 100)) {
    const cs = [...name];
    for (let i = 0; i < cs.length; i++) for (let j = i + 1; j <= cs.length; j++) queries.add(cs.slice(i, j).join(''));
  }

  it('holds, and the gram filter is exact for 1–2 character queries', () => {
    let contained = 0;
    let excluded = 0;
    const failures: string[] = []; // collected, not asserted one by one: ~10^5 checks
    const prepared = [...queries]
      .map((q) => ({ q, needle: normalizeName(q), needs: queryGrams(q) }))
      .filter((p) => p.needle !== '');
    for (const p of prepared) if (p.needs.length === 0) failures.push(`no grams for ${JSON.stringify(p.q)}`);
    for (const name of names) {
      const grams = set(nameGrams(name));
      const hay = normalizeName(name);
      for (const { q, needle, needs } of prepared) {
        const passes = needs.every((g) => grams.has(g));
        if (hay.includes(needle)) {
          contained++;
          if (!passes) failures.push(`${JSON.stringify(name)} contains ${JSON.stringify(q)} but lacks a gram`);
        } else {
          if (!passes) excluded++;
          // One character or one pair: the index alone is exact, LIKE only confirms.
          else if ([...needle].length <= 2) failures.push(`${JSON.stringify(name)} passes for ${JSON.stringify(q)}`);
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    // The check must have had something to check, and the filter must filter.
    expect(contained).toBeGreaterThan(2000);
    expect(excluded).toBeGreaterThan(2000);
  });
});

describe('pinyinInitials', () => {
  it('reads surnames as surnames', async () => {
    const { pinyinInitials } = await import('./name-search.rules.ts');
    expect(pinyinInitials('张伟')).toBe('zw');
    expect(pinyinInitials('曾国藩')).toBe('zgf');
    expect(pinyinInitials('单雄信')).toBe('sxx');
    expect(pinyinInitials('解缙')).toBe('xj');
    expect(pinyinInitials('仇英')).toBe('qy');
    expect(pinyinInitials('区小红')).toBe('oxh');
    expect(pinyinInitials('欧阳娜娜')).toBe('oynn');
    expect(pinyinInitials(' ')).toBe('');
  });
});
