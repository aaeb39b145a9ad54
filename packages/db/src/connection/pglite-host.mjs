// The embedded database runs in this worker thread, not on the server's event loop:
// a query that never returns (see the pg_trgm trap in docs/adr/0001) can then be stopped by
// terminating the worker, and long queries do not freeze HTTP handling.
// Plain JavaScript on purpose: it must start in a bare worker, without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';

const identity = (v) => v;
// Drizzle converts dates itself and asks for these types as the server's text (same as node-postgres).
const RAW_PARSERS = {
  [types.TIMESTAMP]: identity,
  [types.TIMESTAMPTZ]: identity,
  [types.INTERVAL]: identity,
  [types.DATE]: identity,
  1231: identity,
  1115: identity,
  1185: identity,
  1187: identity,
  1182: identity,
};
// int8 as text on both engines: callers cast or convert where they want numbers.
const COMMON_PARSERS = { [types.INT8]: identity };

const { dataDir, timeZone } = workerData;
let db;

function serializeError(e) {
  return {
    message: e?.message ?? String(e),
    code: e?.code,
    detail: e?.detail,
    constraint: e?.constraint,
    table: e?.table,
    column: e?.column,
  };
}

parentPort.on('message', async (msg) => {
  try {
    if (msg.type === 'init') {
      db = await PGlite.create(dataDir ?? undefined, { extensions: { ltree, pg_trgm, pgcrypto, btree_gist } });
      await db.exec(`SET TIME ZONE '${String(timeZone).replace(/'/g, "''")}'`);
      parentPort.postMessage({ id: msg.id, ok: true });
    } else if (msg.type === 'query') {
      const parsers = msg.raw ? { ...COMMON_PARSERS, ...RAW_PARSERS } : COMMON_PARSERS;
      const r = await db.query(msg.sql, msg.params ?? [], { rowMode: msg.rowMode ?? 'object', parsers });
      parentPort.postMessage({ id: msg.id, ok: true, result: { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows ?? 0 } });
    } else if (msg.type === 'exec') {
      const rs = await db.exec(msg.sql);
      parentPort.postMessage({ id: msg.id, ok: true, result: rs.map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows ?? 0 })) });
    } else if (msg.type === 'close') {
      if (db) await db.close();
      parentPort.postMessage({ id: msg.id, ok: true });
    }
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: serializeError(e) });
  }
});
