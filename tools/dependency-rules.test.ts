/**
 * The dependency direction of ../shared/style.md, checked on every import:
 * core imports nothing of ours but contracts and no framework; db never imports apps;
 * the web app imports only contracts from the server side.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx|mjs)$/.test(entry)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

/** Production code only: a test may borrow fixtures from another package. */
function violations(dir: string, forbidden: (spec: string) => boolean): string[] {
  return sources(join(root, dir)).filter((f) => !f.endsWith('.test.ts')).flatMap((f) => imports(f).filter(forbidden).map((s) => `${relative(root, f)} imports ${s}`));
}

describe('dependency direction', () => {
  it('core depends on nothing of ours but contracts, and on no framework or database', () => {
    expect(violations('packages/core/src', (s) => /^@wangge\/(?!contracts)/.test(s) || /^(fastify|drizzle-orm|pg|@electric-sql|react)/.test(s) || s.includes('../../'))).toEqual([]);
  });
  it('core never reads the environment or the wall clock', () => {
    const offenders = sources(join(root, 'packages/core/src'))
      .filter((f) => !f.endsWith('.test.ts') && !f.endsWith('clock.ts'))
      .filter((f) => /process\.env|Date\.now\(\)|new Date\(\)/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });
  it('db does not depend on the apps', () => {
    expect(violations('packages/db/src', (s) => /^@wangge\/(server|web)/.test(s) || s.includes('apps/'))).toEqual([]);
  });
  it('contracts depend on nothing of ours', () => {
    expect(violations('packages/contracts/src', (s) => s.startsWith('@wangge/'))).toEqual([]);
  });
  it('the web app imports only contracts from our packages', () => {
    expect(violations('apps/web/src', (s) => /^@wangge\/(?!contracts)/.test(s) || s.includes('packages/') || s.includes('server/'))).toEqual([]);
  });
});
