import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../apps/server/src/config.ts';
import { FLOW_DOC, README, configTable, renderFlowDoc, renderReadme } from './gen-docs.ts';

describe('README', () => {
  it('has the configuration and demo-account tables generated from the code (run `npm run docs:gen` after changing them)', async () => {
    const current = readFileSync(README, 'utf8');
    expect(await renderReadme(current)).toBe(current);
  });

  it('documents every configuration variable with a meaning', () => {
    const table = configTable();
    for (const key of Object.keys(configSchema.shape)) expect(table).toMatch(new RegExp(`\\| \`${key}\` \\|[^\\n]*\\| [^|\\n—]{10,} \\|`));
  });

  it('has docs/cases-flow.md generated from the flow table (run `npm run docs:gen` after changing it)', () => {
    expect(readFileSync(FLOW_DOC, 'utf8')).toBe(renderFlowDoc());
  });

  it('gives the two commands of the quick start', () => {
    const text = readFileSync(README, 'utf8');
    expect(text).toContain('npm install && npm start');
    expect(text).toContain('npm test');
  });
});
