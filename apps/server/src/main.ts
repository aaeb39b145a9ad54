import { fileURLToPath } from 'node:url';
import { DataDirLockedError, DEMO, DEMO_ACCOUNTS, isEmpty, JobRunner, loadDemo, loadDemoRegistry, notifyJobHandlers, seedCaseReference, seedRegistryReference } from '@wangge/db';
import { roleLabels } from '@wangge/contracts';
import { audit } from '@wangge/core';
import { ConfigError, loadConfig } from './config.ts';
import { loadSecretKey } from './secrets.ts';
import { createLogger, openRuntime, version } from './runtime.ts';
import { buildApp } from './app.ts';
import { caseJobHandlers, housekeepingHandlers, scheduleHousekeeping, scheduleSweep } from './jobs.ts';
import { LoggingSmsSender } from './notify/sms.ts';
import { loadDemoCases } from './demo-cases.ts';

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

async function main() {
  const config = loadConfig();
  const logger = createLogger(config);
  const secret = loadSecretKey(config);
  logger.info({ source: secret.source }, 'secret key loaded');
  const rt = await openRuntime(config, logger);
  const { database } = rt;
  logger.info(
    { db: database.kind, where: database.describe },
    database.kind === 'pglite'
      ? 'database: embedded PGlite (no fsync: for evaluation and small sites; use PostgreSQL in production)'
      : 'database: PostgreSQL',
  );

  let demoLoaded = false;
  if (config.LOAD_DEMO && (await isEmpty(database))) {
    const r = await loadDemo(database, { hasher: rt.hasher, clock: rt.clock, crypto: rt.crypto });
    const demoCases = await loadDemoCases(rt.cases);
    demoLoaded = true;
    logger.info({ ...r, cases: demoCases }, 'demo loaded');
  }

  // Reference data (calendar, seed categories) that a deployment may lack: written if missing, never overwritten.
  await seedCaseReference(database.db, rt.clock.now());
  await seedRegistryReference(database.db);
  if (demoLoaded) {
    const registry = await loadDemoRegistry(database, { crypto: rt.crypto, clock: rt.clock, timeZone: config.TIME_ZONE });
    logger.info(registry, 'demo registry loaded');
  }

  const app = await buildApp({ config, ...rt, version, logger, webDist });
  // Development: text messages are logged (phone masked). Production plugs in a gateway implementing SmsSender.
  const sms = new LoggingSmsSender(logger);
  const runner = new JobRunner({
    database, clock: rt.clock,
    handlers: { ...housekeepingHandlers(rt.clock, config), ...notifyJobHandlers({ crypto: rt.crypto, sms, targets: config.WEBHOOK_TARGETS }), ...caseJobHandlers(rt.cases, rt.crypto, config) },
    onError: (job, err) => logger.error({ err, job: job.type }, 'job failed'),
  });
  await scheduleHousekeeping(database, rt.clock, config.TIME_ZONE);
  await scheduleSweep(database, rt.clock, config.CASE_SWEEP_MINUTES);
  runner.start(5_000);
  // Audit rows are written unsealed; this links them into the hash chain (ADR 0005).
  const sealer = new audit.AuditSealer(rt.store.audit, (err) => logger.error({ err }, 'audit sealing failed'));
  sealer.start(config.AUDIT_SEAL_MS);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await app.close();
    await runner.stop();
    await sealer.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.PORT, host: config.HOST });
  const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const lines = [
    '',
    `  网格通 Wangge ${version} 已启动 / is running:  http://${shown}:${config.PORT}`,
    `  数据库 / database: ${database.kind === 'pglite' ? `PGlite (${database.describe})` : `PostgreSQL (${database.describe})`}`,
    `  API 文档 / API docs: http://${shown}:${config.PORT}/api/docs`,
  ];
  if (config.LOAD_DEMO) {
    lines.push(`  演示账号 / demo accounts${demoLoaded ? '' : ' (loaded earlier)'} — 密码 / password: ${DEMO.password}`);
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.username.padEnd(11)} ${roleLabels[a.role]['zh-CN']} / ${roleLabels[a.role].en}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataDirLockedError) {
    process.stderr.write(`\n${e.message}\n\n`);
  } else {
    process.stderr.write(`\n启动失败 / failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n\n`);
  }
  process.exit(1);
});
