/**
 * Benchmark entry: `npm run bench [-- name… [--option value…]]`. Runs each module in BENCHES (or the ones named),
 * prints its report, and writes its figures to tools/bench/results/<name>.json.
 * Exit code 1 when a module throws (a failed correctness check, an unreachable server).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { interrupt, machine, type BenchModule } from './harness.ts';
import { pointToGrid } from './point-to-grid.bench.ts';
import { intakeBench } from './intake.bench.ts';
import { registryImportBench } from './registry-import.bench.ts';
import { registryBench } from './registry.bench.ts';

const BENCHES: BenchModule[] = [pointToGrid, intakeBench, registryImportBench, registryBench];
/** Options a bench reads itself (`--rows 1000`, `--rows=1000`, `--pg`): not bench names. */
const VALUED_OPTIONS = new Set(['--rows', '--scale', '--seed']);

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const wanted = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && VALUED_OPTIONS.has(args[i - 1]!)));
  const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
  if (unknown.length > 0) {
    console.error(`unknown bench: ${unknown.join(', ')} (have: ${BENCHES.map((b) => b.name).join(', ')})`);
    return 2;
  }
  const selected = BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name));
  const m = machine();
  console.log(`machine: ${m.cpu} × ${m.cores}, ${m.os}, node ${m.node}`);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupt.signal.aborted) process.exit(130); // second signal: give up on cleaning up
      console.error(`\n${signal}: stopping, cleaning up (send again to quit at once)`);
      interrupt.abort();
    });
  }

  let failed = false;
  mkdirSync(resultsDir, { recursive: true });
  for (const bench of selected) {
    console.log(`\n== ${bench.name}: ${bench.description}`);
    const startedAt = new Date().toISOString();
    try {
      const result = await bench.run();
      const file = `${resultsDir}${bench.name}.json`;
      const doc = { bench: bench.name, startedAt, finishedAt: new Date().toISOString(), machine: m, skipped: result.skipped ?? null, ...result.json };
      writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
      console.log(`results written to ${file}`);
    } catch (e) {
      failed = true;
      console.error(`${bench.name} FAILED: ${(e as Error).message}`);
      if (interrupt.signal.aborted) break;
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
