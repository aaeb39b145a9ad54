import { sql, type SQL } from 'drizzle-orm';
import type { AreaScope } from '@wangge/core';
import { rows, type Db } from '../connection/open.ts';

export interface TableColumn {
  name: string;
  /** format_type: 'text', 'uuid', 'text[]', 'timestamp with time zone'… */
  type: string;
  generated: boolean;
}

/** Read from the catalogue once per process: the schema only changes by migrations at start. */
const tableColumnsCache = new Map<string, Promise<TableColumn[]>>();

/** A table's columns in their order, with their types. */
export function tableColumns(db: Db, table: string): Promise<TableColumn[]> {
  let cols = tableColumnsCache.get(table);
  if (!cols) {
    cols = rows<TableColumn>(db, sql`SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attgenerated <> '' AS generated
      FROM pg_attribute a WHERE a.attrelid = ${table}::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`);
    cols.catch(() => tableColumnsCache.delete(table));
    tableColumnsCache.set(table, cols);
  }
  return cols;
}

/** `column` lies under one of the scope's paths, as SQL (GiST-indexed `<@`). An empty scope matches nothing. */
export function underScope(column: SQL, scope: AreaScope): SQL {
  if (scope.paths.length === 0) return sql`false`;
  return sql`(${sql.join(
    scope.paths.map((p) => sql`${column} <@ ${p}::ltree`),
    sql` OR `,
  )})`;
}

/** A timestamptz as ISO 8601 UTC with milliseconds and Z, identical on both engines. */
export function isoZ(column: SQL): SQL {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export function inList(values: (string | number)[]): SQL {
  return sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}

export const toDate = (v: string | null): Date | null => (v === null ? null : new Date(v));

/** Escapes LIKE wildcards in user input. */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);
