import { sql, type SQL } from 'drizzle-orm';
import type { Polygon } from 'geojson';
import type { AreaScope, BuildingFull, GridRow, GridsPort, StaffRow, UndoRecord } from '@wangge/core';
import { rows, type Db } from '../connection/open.ts';
import { maskPhone, type FieldCrypto } from '../crypto/field-crypto.ts';
import { inList, isoZ, underScope } from './sql-helpers.ts';

interface AreaDbRow {
  id: string; parent_id: string; path: string; depth: number; level: GridRow['level']; code: string; name_zh: string;
  grid_type: GridRow['gridType']; geometry: Polygon | null; version: number; valid_from: string; district_id: string | null; retired: boolean;
}

const areaSelect = sql`SELECT id::text, parent_id::text, path::text, depth, level, code, name_zh, grid_type, geometry, version,
  ${isoZ(sql`valid_from`)} AS valid_from, district_id::text, retired_at IS NOT NULL AS retired FROM areas`;

const toGrid = (r: AreaDbRow): GridRow => ({
  id: r.id, parentId: r.parent_id, path: r.path, depth: r.depth, level: r.level, code: r.code, nameZh: r.name_zh,
  gridType: r.grid_type, geometry: r.geometry, version: r.version, validFrom: new Date(r.valid_from), districtId: r.district_id, retired: r.retired,
});

function bbox(g: Polygon | null | undefined): SQL {
  if (!g) return sql`bbox_min_lon = NULL, bbox_min_lat = NULL, bbox_max_lon = NULL, bbox_max_lat = NULL`;
  const xs = g.coordinates[0]!.map((c) => c[0]!);
  const ys = g.coordinates[0]!.map((c) => c[1]!);
  return sql`bbox_min_lon = ${Math.min(...xs)}, bbox_min_lat = ${Math.min(...ys)}, bbox_max_lon = ${Math.max(...xs)}, bbox_max_lat = ${Math.max(...ys)}`;
}

interface StaffDbRow { id: string; grid_id: string; duty: StaffRow['duty']; name: string; phone_enc: string | null; user_id: string | null; username: string | null; service_items: string; is_public: boolean }

export function gridsRepo(db: Db, crypto?: FieldCrypto): GridsPort {
  const enc = (phone: string | null) => {
    if (phone === null) return { enc: null, masked: null };
    if (!crypto) throw new Error('field encryption is not configured');
    return { enc: crypto.encrypt(phone), masked: maskPhone(phone) };
  };
  const toStaff = (r: StaffDbRow): StaffRow => ({
    id: r.id, gridId: r.grid_id, duty: r.duty, name: r.name, phone: r.phone_enc && crypto ? crypto.decrypt(r.phone_enc) : null,
    userId: r.user_id, username: r.username, serviceItems: r.service_items, isPublic: r.is_public,
  });
  const buildingSelect = sql`
    SELECT b.id::text, b.name, b.code, b.address, b.lon, b.lat, b.floors, b.grid_id::text, b.grid_pinned AS pinned, b.pin_reason,
           g.code AS grid_code, g.name_zh AS grid_name, g.path::text AS grid_path, b.district_id::text
    FROM buildings b LEFT JOIN areas g ON g.id = b.grid_id`;
  type BRow = { id: string; name: string; code: string | null; address: string | null; lon: number; lat: number; floors: number | null; grid_id: string | null; pinned: boolean; pin_reason: string | null; grid_code: string | null; grid_name: string | null; grid_path: string | null; district_id: string | null };
  const toBuilding = (r: BRow): BuildingFull => ({
    id: r.id, name: r.name, code: r.code, address: r.address, lon: r.lon, lat: r.lat, floors: r.floors, gridId: r.grid_id, pinned: r.pinned, gridPinned: r.pinned,
    pinReason: r.pin_reason, gridCode: r.grid_code, gridName: r.grid_name, gridPath: r.grid_path, districtId: r.district_id,
  });

  const copyToHistory = (id: string, at: Date, adjustmentId: string) =>
    db.execute(sql`
      INSERT INTO area_versions (area_id, version, parent_id, code, name_zh, grid_type, geometry, valid_from, valid_to, adjustment_id, district_id)
      SELECT id, version, parent_id, code, name_zh, grid_type, geometry, valid_from, ${at.toISOString()}::timestamptz, ${adjustmentId}::uuid, district_id
      FROM areas WHERE id = ${id}::bigint`);

  /** Records a state the caller read before changing the row (codes may have been parked since). */
  const historyOf = (row: GridRow, at: Date, adjustmentId: string) =>
    db.execute(sql`
      INSERT INTO area_versions (area_id, version, parent_id, code, name_zh, grid_type, geometry, valid_from, valid_to, adjustment_id, district_id)
      VALUES (${row.id}::bigint, ${row.version}, ${row.parentId}::bigint, ${row.code}, ${row.nameZh}, ${row.gridType},
              ${row.geometry ? JSON.stringify(row.geometry) : null}::jsonb, ${row.validFrom.toISOString()}::timestamptz,
              ${at.toISOString()}::timestamptz, ${adjustmentId}::uuid, ${row.districtId}::bigint)`);

  const adjustmentsWhere = async (where: SQL, limit: number) => {
    const r = await rows<{ id: string; kind: string; parent_id: string; reason: string | null; summary: unknown; undo: UndoRecord; actor_name: string | null; created_at: string; reverted_at: string | null }>(db, sql`
      SELECT id::text, kind, parent_id::text, reason, summary, undo, actor_name, ${isoZ(sql`created_at`)} AS created_at, ${isoZ(sql`reverted_at`)} AS reverted_at
      FROM grid_adjustments WHERE ${where} ORDER BY seq DESC LIMIT ${limit}`);
    return r.map((a) => ({ id: a.id, kind: a.kind, parentId: a.parent_id, reason: a.reason, summary: a.summary, undo: a.undo, actorName: a.actor_name, createdAt: new Date(a.created_at), revertedAt: a.reverted_at ? new Date(a.reverted_at) : null }));
  };

  return {
    async area(id) {
      const [r] = await rows<AreaDbRow>(db, sql`${areaSelect} WHERE id = ${id}::bigint`);
      return r ? toGrid(r) : null;
    },
    async areas(ids) {
      if (ids.length === 0) return [];
      return (await rows<AreaDbRow>(db, sql`${areaSelect} WHERE id IN ${inList(ids.map(Number))}`)).map(toGrid);
    },
    async lockArea(id) {
      await db.execute(sql`SELECT id FROM areas WHERE id = ${id}::bigint FOR UPDATE`);
    },
    async parkCode(id) {
      await db.execute(sql`UPDATE areas SET code = 'tmp-' || id::text WHERE id = ${id}::bigint`);
    },
    async liveGridsUnder(path) {
      return (await rows<AreaDbRow>(db, sql`${areaSelect} WHERE path <@ ${path}::ltree AND level = 'grid' AND retired_at IS NULL ORDER BY depth, code`)).map(toGrid);
    },
    async liveChildren(parentId) {
      return (await rows<AreaDbRow>(db, sql`${areaSelect} WHERE parent_id = ${parentId}::bigint AND retired_at IS NULL ORDER BY sort_key, code`)).map(toGrid);
    },
    async liveBoundariesUnder(path) {
      return (await rows<AreaDbRow>(db, sql`${areaSelect} WHERE path <@ ${path}::ltree AND path <> ${path}::ltree AND level <> 'grid'
        AND retired_at IS NULL AND geometry IS NOT NULL ORDER BY depth, code`)).map(toGrid);
    },
    async allLiveGrids() {
      return (await rows<AreaDbRow>(db, sql`${areaSelect} WHERE level = 'grid' AND retired_at IS NULL AND geometry IS NOT NULL`)).map(toGrid);
    },
    async codeTaken(code, exceptId) {
      const r = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM areas WHERE code = ${code} ${exceptId ? sql`AND id <> ${exceptId}::bigint` : sql``}`);
      return (r[0]?.n ?? 0) > 0;
    },
    async liveByCode(code) {
      const [r] = await rows<AreaDbRow>(db, sql`${areaSelect} WHERE code = ${code} AND retired_at IS NULL`);
      return r ? toGrid(r) : null;
    },
    async coverExceptions(parentId) {
      const r = await rows<{ geometry: Polygon }>(db, sql`SELECT geometry FROM cover_exceptions WHERE parent_id = ${parentId}::bigint`);
      return r.map((x) => x.geometry);
    },
    async addCoverException(parentId, geometry, reason, by, at) {
      await db.execute(sql`INSERT INTO cover_exceptions (parent_id, geometry, reason, created_by, created_at)
        VALUES (${parentId}::bigint, ${JSON.stringify(geometry)}::jsonb, ${reason}, ${by}, ${at.toISOString()}::timestamptz)`);
    },
    async updateGrid(row, patch, at, adjustmentId) {
      await historyOf(row, at, adjustmentId);
      const sets: SQL[] = [sql`version = version + 1`, sql`valid_from = ${at.toISOString()}::timestamptz`, sql`updated_at = now()`];
      if (patch.geometry) sets.push(sql`geometry = ${JSON.stringify(patch.geometry)}::jsonb`, bbox(patch.geometry));
      if (patch.code) sets.push(sql`code = ${patch.code}`);
      if (patch.nameZh) sets.push(sql`name_zh = ${patch.nameZh}`);
      await db.execute(sql`UPDATE areas SET ${sql.join(sets, sql`, `)} WHERE id = ${row.id}::bigint`);
    },
    async restoreGrid(current, state, at, adjustmentId) {
      const id = current.id;
      await historyOf(current, at, adjustmentId);
      await db.execute(sql`UPDATE areas SET code = ${state.code}, name_zh = ${state.nameZh},
        geometry = ${state.geometry ? JSON.stringify(state.geometry) : null}::jsonb, ${bbox(state.geometry)},
        version = version + 1, valid_from = ${at.toISOString()}::timestamptz, updated_at = now() WHERE id = ${id}::bigint`);
    },
    async createGrid(parent, g, at) {
      const [r] = await rows<{ id: string }>(db, sql`
        WITH n AS (SELECT nextval(pg_get_serial_sequence('areas', 'id')) AS id)
        INSERT INTO areas (id, parent_id, path, depth, level, grid_type, code, name_zh, district_id, geometry, sort_key, valid_from)
        OVERRIDING SYSTEM VALUE
        SELECT n.id, ${parent.id}::bigint, (${parent.path + '.'} || n.id::text)::ltree, ${parent.depth + 1}, 'grid', ${g.gridType}, ${g.code},
               ${g.nameZh}, ${parent.districtId}::bigint, ${JSON.stringify(g.geometry)}::jsonb, 0, ${at.toISOString()}::timestamptz
        FROM n RETURNING id::text`);
      await db.execute(sql`UPDATE areas SET ${bbox(g.geometry)} WHERE id = ${r!.id}::bigint`);
      return r!.id;
    },
    async retireGrid(id, at, adjustmentId) {
      await copyToHistory(id, at, adjustmentId);
      await db.execute(sql`UPDATE areas SET retired_at = ${at.toISOString()}::timestamptz WHERE id = ${id}::bigint`);
    },
    async unretireGrid(id) {
      await db.execute(sql`UPDATE areas SET retired_at = NULL WHERE id = ${id}::bigint`);
    },
    async buildingsUnder(path) {
      const r = await rows<{ id: string; name: string; grid_id: string | null; pinned: boolean; lon: number; lat: number }>(db, sql`
        SELECT b.id::text, b.name, b.grid_id::text, b.grid_pinned AS pinned, b.lon, b.lat FROM buildings b JOIN areas g ON g.id = b.grid_id
        WHERE g.path <@ ${path}::ltree`);
      return r.map((b) => ({ id: b.id, name: b.name, gridId: b.grid_id, pinned: b.pinned, lon: b.lon, lat: b.lat }));
    },
    async setBuildingGrid(id, gridId, pinned, reason, at) {
      await db.execute(sql`UPDATE buildings SET grid_id = ${gridId}::bigint, grid_pinned = ${pinned}, pin_reason = ${reason},
        updated_at = ${at.toISOString()}::timestamptz WHERE id = ${id}::uuid`);
    },
    async staffOf(gridIds) {
      if (gridIds.length === 0) return [];
      const r = await rows<StaffDbRow>(db, sql`SELECT id::text, grid_id::text, duty, name, phone_enc, user_id::text, (SELECT u.username FROM users u WHERE u.id = grid_staff.user_id) AS username, service_items, is_public
        FROM grid_staff WHERE grid_id IN ${inList(gridIds)} AND ended_at IS NULL
        ORDER BY array_position(ARRAY['grid_leader','party_leader','grid_worker','info_officer','building_head'], duty), created_at`);
      return r.map(toStaff);
    },
    async staffById(id) {
      const [r] = await rows<StaffDbRow>(db, sql`SELECT id::text, grid_id::text, duty, name, phone_enc, user_id::text, (SELECT u.username FROM users u WHERE u.id = grid_staff.user_id) AS username, service_items, is_public
        FROM grid_staff WHERE id = ${id}::uuid AND ended_at IS NULL`);
      return r ? toStaff(r) : null;
    },
    async moveStaff(id, gridId) {
      await db.execute(sql`UPDATE grid_staff SET grid_id = ${gridId}::bigint WHERE id = ${id}::uuid`);
    },
    async addStaff(gridId, s, at) {
      const p = enc(s.phone);
      const [r] = await rows<{ id: string }>(db, sql`
        INSERT INTO grid_staff (grid_id, district_id, duty, name, phone_enc, phone_masked, user_id, service_items, is_public, created_at)
        SELECT ${gridId}::bigint, a.district_id, ${s.duty}, ${s.name}, ${p.enc}, ${p.masked}, ${s.userId}::uuid, ${s.serviceItems}, ${s.isPublic},
               ${at.toISOString()}::timestamptz FROM areas a WHERE a.id = ${gridId}::bigint RETURNING id::text`);
      return r!.id;
    },
    async updateStaff(id, patch) {
      const sets: SQL[] = [];
      if (patch.duty !== undefined) sets.push(sql`duty = ${patch.duty}`);
      if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
      if (patch.phone !== undefined) {
        const p = enc(patch.phone);
        sets.push(sql`phone_enc = ${p.enc}`, sql`phone_masked = ${p.masked}`);
      }
      if (patch.userId !== undefined) sets.push(sql`user_id = ${patch.userId}::uuid`);
      if (patch.serviceItems !== undefined) sets.push(sql`service_items = ${patch.serviceItems}`);
      if (patch.isPublic !== undefined) sets.push(sql`is_public = ${patch.isPublic}`);
      if (sets.length) await db.execute(sql`UPDATE grid_staff SET ${sql.join(sets, sql`, `)} WHERE id = ${id}::uuid`);
    },
    async endStaff(id, at) {
      await db.execute(sql`UPDATE grid_staff SET ended_at = ${at.toISOString()}::timestamptz WHERE id = ${id}::uuid`);
    },
    async insertAdjustment(a) {
      await db.execute(sql`
        INSERT INTO grid_adjustments (id, kind, parent_id, district_id, reason, summary, undo, actor_id, actor_name, created_at)
        SELECT ${a.id}::uuid, ${a.kind}, p.id, p.district_id, ${a.reason}, ${JSON.stringify(a.summary)}::jsonb, ${JSON.stringify(a.undo)}::jsonb,
               ${a.actorId}::uuid, ${a.actorName}, ${a.at.toISOString()}::timestamptz FROM areas p WHERE p.id = ${a.parentId}::bigint`);
    },
    async adjustments(parentId, limit) {
      return adjustmentsWhere(sql`parent_id = ${parentId}::bigint`, limit);
    },
    async latestOpenAdjustment(parentId) {
      return (await adjustmentsWhere(sql`parent_id = ${parentId}::bigint AND reverted_at IS NULL`, 1))[0] ?? null;
    },
    async findAdjustment(id) {
      return (await adjustmentsWhere(sql`id = ${id}::uuid`, 1))[0] ?? null;
    },
    async markReverted(id, at, by) {
      await db.execute(sql`UPDATE grid_adjustments SET reverted_at = ${at.toISOString()}::timestamptz, reverted_by = ${by} WHERE id = ${id}::uuid`);
    },
    async bumpEpoch() {
      await db.execute(sql`UPDATE grid_epoch SET epoch = epoch + 1 WHERE id = 1`);
    },
    async epoch() {
      const [r] = await rows<{ epoch: number }>(db, sql`SELECT epoch::int AS epoch FROM grid_epoch WHERE id = 1`);
      return r?.epoch ?? 0;
    },
    async figures(gridIds) {
      const out = new Map<string, Record<string, number>>();
      for (const id of gridIds) out.set(id, { buildings: 0, staff: 0, openCases: 0 });
      if (gridIds.length === 0) return out;
      const r = await rows<{ id: string; buildings: number; staff: number; open_cases: number }>(db, sql`
        SELECT g.id::text, (SELECT count(*)::int FROM buildings b WHERE b.grid_id = g.id) AS buildings,
               (SELECT count(*)::int FROM grid_staff s WHERE s.grid_id = g.id AND s.ended_at IS NULL) AS staff,
               (SELECT count(*)::int FROM cases c WHERE c.grid_id = g.id AND c.state_kind = 'open') AS open_cases
        FROM areas g WHERE g.id IN ${inList(gridIds.map(Number))}`);
      for (const x of r) out.set(x.id, { buildings: x.buildings, staff: x.staff, openCases: x.open_cases });
      return out;
    },
    async building(id) {
      const [r] = await rows<BRow>(db, sql`${buildingSelect} WHERE b.id = ${id}::uuid`);
      return r ? toBuilding(r) : null;
    },
    async buildingsList(scope: AreaScope, underPath) {
      const r = await rows<BRow>(db, sql`${buildingSelect} WHERE g.path <@ ${underPath}::ltree AND ${underScope(sql`g.path`, scope)} ORDER BY g.code, b.name`);
      return r.map(toBuilding);
    },
    async insertBuilding(b, at) {
      const [r] = await rows<{ id: string }>(db, sql`
        INSERT INTO buildings (district_id, grid_id, code, name, address, lon, lat, floors, created_at, updated_at)
        VALUES (${b.districtId}::bigint, ${b.gridId}::bigint, ${b.code}, ${b.name}, ${b.address}, ${b.lon}, ${b.lat}, ${b.floors},
                ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz) RETURNING id::text`);
      return r!.id;
    },
  };
}
