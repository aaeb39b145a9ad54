import { sql, type SQL } from 'drizzle-orm';
import type { GrantView, Locale, UserView } from '@wangge/contracts';
import type { GrantRecord, UserRecord, UsersPort } from '@wangge/core';
import { rows, type Db } from '../connection/open.ts';
import { inList, isoZ, likeEscape, toDate, underScope } from './sql-helpers.ts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  locale: Locale;
  password_hash: string;
  disabled: boolean;
  failed_count: number;
  locked_until: string | null;
  must_change_password: boolean;
  password_changed_at: string | null;
  last_login_at: string | null;
  home_area_id: string;
  home_area_path: string;
}

export const userSelect = sql`
  SELECT u.id::text, u.username, u.display_name, u.locale, u.password_hash, u.disabled, u.failed_count,
    ${isoZ(sql`u.locked_until`)} AS locked_until, u.must_change_password,
    ${isoZ(sql`u.password_changed_at`)} AS password_changed_at, ${isoZ(sql`u.last_login_at`)} AS last_login_at,
    u.home_area_id::text AS home_area_id, ha.path::text AS home_area_path
  FROM users u JOIN areas ha ON ha.id = u.home_area_id`;

export const toRecord = (r: UserRow): UserRecord => ({
  id: r.id, username: r.username, displayName: r.display_name, locale: r.locale, passwordHash: r.password_hash,
  disabled: r.disabled, failedCount: r.failed_count, lockedUntil: toDate(r.locked_until),
  mustChangePassword: r.must_change_password, passwordChangedAt: toDate(r.password_changed_at),
  lastLoginAt: toDate(r.last_login_at), homeAreaId: r.home_area_id, homeAreaPath: r.home_area_path,
});

export interface GrantRow {
  id: string;
  user_id: string;
  role: GrantView['role'];
  area_id: string;
  area_code: string;
  area_name: string;
  area_level: GrantView['areaLevel'];
  area_path: string;
}

export const grantSelect = sql`
  SELECT g.id::text, g.user_id::text, g.role, g.area_id::text, a.code AS area_code, a.name_zh AS area_name,
         a.level AS area_level, a.path::text AS area_path
  FROM user_grants g JOIN areas a ON a.id = g.area_id`;

export const toGrant = (g: GrantRow): GrantRecord => ({
  id: g.id, role: g.role, areaId: g.area_id, areaCode: g.area_code, areaName: g.area_name, areaLevel: g.area_level, areaPath: g.area_path,
});

const columnOf: Record<string, SQL> = {
  displayName: sql`display_name`, locale: sql`locale`, passwordHash: sql`password_hash`, disabled: sql`disabled`,
  failedCount: sql`failed_count`, lockedUntil: sql`locked_until`, mustChangePassword: sql`must_change_password`,
  passwordChangedAt: sql`password_changed_at`, lastLoginAt: sql`last_login_at`, homeAreaId: sql`home_area_id`,
};

export function usersRepo(db: Db): UsersPort {
  async function grantsFor(userIds: string[]): Promise<GrantRow[]> {
    if (userIds.length === 0) return [];
    return rows<GrantRow>(db, sql`${grantSelect} WHERE g.user_id IN ${inList(userIds)} ORDER BY a.depth, a.code, g.role`);
  }

  async function views(where: SQL, order: SQL, paging: SQL): Promise<{ items: UserView[]; total: number }> {
    const list = await rows<UserRow & { created_at: string; home_area_name: string; total: number }>(
      db,
      sql`SELECT x.*, count(*) OVER ()::int AS total FROM (
            SELECT s.*, ${isoZ(sql`uu.created_at`)} AS created_at, hn.name_zh AS home_area_name
            FROM (${userSelect} WHERE ${where}) s
            JOIN users uu ON uu.id = s.id::uuid JOIN areas hn ON hn.id = uu.home_area_id
          ) x ${order} ${paging}`,
    );
    const grants = await grantsFor(list.map((u) => u.id));
    const items = list.map((u) => ({
      id: u.id, username: u.username, displayName: u.display_name, locale: u.locale, disabled: u.disabled,
      lockedUntil: u.locked_until, mustChangePassword: u.must_change_password, lastLoginAt: u.last_login_at,
      createdAt: u.created_at, homeAreaId: u.home_area_id, homeAreaName: u.home_area_name,
      grants: grants.filter((g) => g.user_id === u.id).map((g) => { const { areaPath: _p, ...v } = toGrant(g); return v; }),
    }));
    return { items, total: list[0]?.total ?? 0 };
  }

  return {
    async findByUsername(username) {
      const [r] = await rows<UserRow>(db, sql`${userSelect} WHERE lower(u.username) = lower(${username})`);
      return r ? toRecord(r) : null;
    },
    async findById(id) {
      const [r] = await rows<UserRow>(db, sql`${userSelect} WHERE u.id = ${id}::uuid`);
      return r ? toRecord(r) : null;
    },
    async insert(u) {
      const [r] = await rows<{ id: string }>(
        db,
        sql`INSERT INTO users (username, display_name, locale, password_hash, must_change_password, password_changed_at, home_area_id, district_id, created_at)
            SELECT ${u.username}, ${u.displayName}, ${u.locale}, ${u.passwordHash}, ${u.mustChangePassword},
                   ${u.passwordChangedAt?.toISOString() ?? null}::timestamptz, a.id, a.district_id, ${u.createdAt.toISOString()}::timestamptz
            FROM areas a WHERE a.id = ${u.homeAreaId}::bigint
            RETURNING id::text`,
      );
      if (!r) throw new Error(`home area ${u.homeAreaId} does not exist`);
      const created = await this.findById(r.id);
      if (!created) throw new Error('inserted user not found');
      return created;
    },
    async update(id, patch) {
      const sets: SQL[] = [];
      for (const [key, value] of Object.entries(patch)) {
        const col = columnOf[key];
        if (!col || value === undefined) continue;
        sets.push(value instanceof Date ? sql`${col} = ${value.toISOString()}::timestamptz` : sql`${col} = ${value}`);
      }
      if (sets.length === 0) return;
      await db.execute(sql`UPDATE users SET ${sql.join(sets, sql`, `)} WHERE id = ${id}::uuid`);
    },
    async grants(userId) {
      return (await grantsFor([userId])).map(toGrant);
    },
    async addGrant(userId, role, areaId, at) {
      const [r] = await rows<{ id: string }>(
        db,
        sql`INSERT INTO user_grants (user_id, role, area_id, created_at) VALUES (${userId}::uuid, ${role}, ${areaId}::bigint, ${at.toISOString()}::timestamptz) RETURNING id::text`,
      );
      const [g] = await rows<GrantRow>(db, sql`${grantSelect} WHERE g.id = ${r!.id}::uuid`);
      return toGrant(g!);
    },
    async removeGrant(userId, grantId) {
      const r = await rows<{ id: string }>(db, sql`DELETE FROM user_grants WHERE id = ${grantId}::uuid AND user_id = ${userId}::uuid RETURNING id::text`);
      return r.length > 0;
    },
    async view(id) {
      const { items } = await views(sql`u.id = ${id}::uuid`, sql``, sql``);
      return items[0] ?? null;
    },
    async list(scope, f) {
      const conds: SQL[] = [underScope(sql`ha.path`, scope)];
      if (f.areaPath) conds.push(sql`ha.path <@ ${f.areaPath}::ltree`);
      if (f.q) {
        const like = `%${likeEscape(f.q)}%`;
        conds.push(sql`(u.username ILIKE ${like} OR u.display_name LIKE ${like})`);
      }
      if (f.role) conds.push(sql`EXISTS (SELECT 1 FROM user_grants rg WHERE rg.user_id = u.id AND rg.role = ${f.role})`);
      return views(sql.join(conds, sql` AND `), sql`ORDER BY x.username`, sql`LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`);
    },
  };
}
