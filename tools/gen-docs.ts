/**
 * Generates the README's configuration table (from the config schema) and demo-account table
 * (from the demo definition), so the README cannot drift from the code. `npm run docs:gen`
 * rewrites them; tools/gen-docs.test.ts fails when the README is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { roleLabels } from '@wangge/contracts';
import { DEMO, DEMO_ACCOUNTS, loadDistrictTree } from '@wangge/db';
import { configSchema } from '../apps/server/src/config.ts';

export const README = fileURLToPath(new URL('../README.md', import.meta.url));

interface ZodLike {
  description?: string;
  def: { type: string; innerType?: ZodLike; defaultValue?: unknown; in?: ZodLike; options?: string[]; entries?: Record<string, string> };
}

function describeField(schema: ZodLike): { type: string; def: string; doc: string } {
  let s: ZodLike = schema;
  let def = '';
  const doc = schema.description ?? '';
  for (let i = 0; i < 5; i++) {
    if (s.def.type === 'default') {
      const v = s.def.defaultValue;
      def = typeof v === 'function' ? String((v as () => unknown)()) : String(v);
      s = s.def.innerType!;
    } else if (s.def.type === 'optional') s = s.def.innerType!;
    else if (s.def.type === 'pipe') s = s.def.in!;
    else break;
  }
  const type = s.def.type === 'enum' ? Object.values(s.def.entries ?? {}).join(' \\| ') : s.def.type;
  return { type, def, doc: doc || (s as ZodLike).description || '' };
}

export function configTable(): string {
  const lines = ['| variable | type | default | meaning |', '| --- | --- | --- | --- |'];
  for (const [key, schema] of Object.entries(configSchema.shape)) {
    const f = describeField(schema as unknown as ZodLike);
    lines.push(`| \`${key}\` | ${f.type} | ${f.def ? `\`${f.def}\`` : '—'} | ${f.doc} |`);
  }
  return lines.join('\n');
}

export async function accountsTable(): Promise<string> {
  const tree = await loadDistrictTree(DEMO.districtCode);
  const names = new Map<string, string>();
  const walk = (n: { code: string; name: string; children: { code: string; name: string; children: never[] }[] }, prefix: string) => {
    const full = prefix ? `${prefix} ${n.name}` : n.name;
    names.set(n.code, n.name);
    n.children.forEach((c) => walk(c, full));
  };
  walk(tree as never, '');
  const areaName = (code: string) => names.get(code) ?? (code.length === 15 ? `${names.get(code.slice(0, 12))} 第 ${Number(code.slice(12))} 网格` : code);
  const lines = ['| 用户 user | 角色 role | 区域 area | 密码 password |', '| --- | --- | --- | --- |'];
  for (const a of DEMO_ACCOUNTS) {
    lines.push(`| \`${a.username}\` | ${roleLabels[a.role]['zh-CN']} / ${roleLabels[a.role].en} | ${areaName(a.area)} (${a.area}) | \`${DEMO.password}\` |`);
  }
  return lines.join('\n');
}

export function replaceBlock(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README has no ${start} … ${end} block`);
  return text.slice(0, i + start.length) + '\n' + body + '\n' + text.slice(j);
}

export async function renderReadme(current: string): Promise<string> {
  return replaceBlock(replaceBlock(current, 'config', configTable()), 'accounts', await accountsTable());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const current = readFileSync(README, 'utf8');
  const next = await renderReadme(current);
  if (next !== current) writeFileSync(README, next);
  process.stdout.write(next === current ? 'README.md is up to date\n' : 'README.md updated\n');
}
