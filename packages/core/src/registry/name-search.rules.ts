import { pinyin } from 'pinyin-pro';
/**
 * Chinese name search. A pg_trgm index never serves `LIKE '%张伟%'` (two characters hold no
 * trigram) and pg_trgm misbehaves on PGlite, so each person row carries
 *   name_grams text[] = nameGrams(name)      -- GIN index
 * and a search for q runs
 *   name_grams @> queryGrams(q) AND name_norm LIKE nameLikePattern(q)
 * The GIN condition narrows to candidates; LIKE decides. Correctness rests on one property,
 * tested over generated names: normalizeName(name) contains normalizeName(q)
 * ⇒ nameGrams(name) ⊇ queryGrams(q).
 *
 * If the grams are computed in SQL (an immutable function behind a generated column), that
 * function must normalise exactly like normalizeName:
 *   btrim(regexp_replace(translate(normalize(x, NFKC), 'A…Z', 'a…z'), '[ \t\n\r\f\v]+', ' ', 'g'), ' ')
 * and split by characters (code points), as PostgreSQL's substr does on UTF-8.
 */

/** ASCII whitespace only: the same set PostgreSQL's regex sees whatever the database's ctype. */
const WHITESPACE_RUN = /[ \t\n\r\f\v]+/g;

/**
 * NFKC (full-width Ａ→A, compatibility ideographs → unified ones), A–Z lower-cased, whitespace
 * runs collapsed to one space, ends trimmed. Only ASCII letters are lower-cased: lower() on
 * a C-locale database (PGlite) leaves É alone, so the two sides would disagree on anything wider.
 */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[A-Z]/g, (c) => c.toLowerCase())
    .replace(WHITESPACE_RUN, ' ')
    .replace(/^ | $/g, '');
}

/**
 * Characters as code points, not UTF-16 units: rare name characters (e.g. 𠮷, CJK extension B)
 * take two units, and a pair split inside one of them would never match anything.
 */
function chars(text: string): string[] {
  return Array.from(text);
}

function pairs(cs: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < cs.length; i++) out.push(cs[i]! + cs[i + 1]!);
  return out;
}

const sortedDistinct = (grams: string[]): string[] => [...new Set(grams)].sort();

/** Every single character and adjacent pair of the normalised name: '张伟' → ['伟', '张', '张伟'] (sorted, distinct). */
export function nameGrams(name: string): string[] {
  const cs = chars(normalizeName(name));
  return sortedDistinct([...cs, ...pairs(cs)]);
}

/**
 * The grams a name must hold to contain q: its pairs for 2+ characters (the singles are
 * implied by the pairs), the character itself for one. An empty query gives [], which every
 * row satisfies: callers should refuse empty queries rather than scan everything.
 */
export function queryGrams(q: string): string[] {
  const cs = chars(normalizeName(q));
  if (cs.length < 2) return cs;
  return sortedDistinct(pairs(cs));
}

/** '%q%' for LIKE with the default escape character (backslash), q normalised and %, _ and \ escaped. */
export function nameLikePattern(q: string): string {
  return `%${normalizeName(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Pinyin initials of a name, lower case, with the surname read as a surname (曾 z, 单 s, 解 x,
 * 仇 q, 区 o: pinyin-pro's surname mode), so "zw" finds 张伟. Letters in the name are kept as they are.
 */
export function pinyinInitials(name: string): string {
  const n = normalizeName(name).replace(/ /g, '');
  if (n === '') return '';
  return pinyin(n, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head' }).join('').toLowerCase().replace(/[^a-z0-9]/g, '');
}
