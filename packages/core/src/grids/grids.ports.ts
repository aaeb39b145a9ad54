import type { Polygon } from 'geojson';
import type { GridType } from '@wangge/contracts';
import type { AreaScope } from '../auth/auth.types.ts';
import type { BuildingRow, GridRow, StaffDuty, StaffRow, UndoRecord } from './grids.types.ts';

export interface AdjustmentRow {
  id: string;
  kind: string;
  parentId: string;
  reason: string | null;
  summary: unknown;
  undo: UndoRecord;
  actorName: string | null;
  createdAt: Date;
  revertedAt: Date | null;
}

export interface BuildingFull extends BuildingRow {
  gridPinned: boolean;
  code: string | null;
  address: string | null;
  floors: number | null;
  pinReason: string | null;
  gridCode: string | null;
  gridName: string | null;
  gridPath: string | null;
  districtId: string | null;
}

/** Storage of grids, their history, staff, buildings and adjustments (implemented in @wangge/db). */
export interface GridsPort {
  area(id: string): Promise<GridRow | null>;
  /** Several areas in one query (unknown ids are left out). */
  areas(ids: string[]): Promise<GridRow[]>;
  /** Locks an area row until the transaction ends: adjustments of one parent happen one at a time. */
  lockArea(id: string): Promise<void>;
  /** Gives a live grid a temporary code so codes can be permuted under the unique index (renumber, revert). */
  parkCode(id: string): Promise<void>;
  /** Live areas below `path` of level grid (all depths), or the live direct children of a parent. */
  liveGridsUnder(path: string): Promise<GridRow[]>;
  liveChildren(parentId: string): Promise<GridRow[]>;
  /** Live areas strictly below `path` that are not grids and have a boundary (communities of a street…). */
  liveBoundariesUnder(path: string): Promise<GridRow[]>;
  /** Every live grid with a geometry, for the point locator. */
  allLiveGrids(): Promise<GridRow[]>;
  codeTaken(code: string, exceptId?: string): Promise<boolean>;
  liveByCode(code: string): Promise<GridRow | null>;
  coverExceptions(parentId: string): Promise<Polygon[]>;
  addCoverException(parentId: string, geometry: unknown, reason: string, by: string, at: Date): Promise<void>;
  /** Records `row` (read before the change) in area_versions, valid until `at`, and applies the change with version + 1. */
  updateGrid(row: GridRow, patch: { geometry?: Polygon; code?: string; nameZh?: string }, at: Date, adjustmentId: string): Promise<void>;
  /** Puts back an earlier state; `current` is the state read before any code was parked, for the history. */
  restoreGrid(current: GridRow, state: UndoRecord['updated'][number], at: Date, adjustmentId: string): Promise<void>;
  createGrid(parent: GridRow, g: { code: string; nameZh: string; gridType: GridType; geometry: Polygon }, at: Date): Promise<string>;
  retireGrid(id: string, at: Date, adjustmentId: string): Promise<void>;
  unretireGrid(id: string): Promise<void>;
  buildingsUnder(path: string): Promise<BuildingRow[]>;
  setBuildingGrid(id: string, gridId: string | null, pinned: boolean, reason: string | null, at: Date): Promise<void>;
  staffOf(gridIds: string[]): Promise<StaffRow[]>;
  moveStaff(id: string, gridId: string): Promise<void>;
  insertAdjustment(a: { id: string; kind: string; parentId: string; reason: string | null; summary: unknown; undo: UndoRecord; actorId: string | null; actorName: string; at: Date }): Promise<void>;
  adjustments(parentId: string, limit: number): Promise<AdjustmentRow[]>;
  findAdjustment(id: string): Promise<AdjustmentRow | null>;
  latestOpenAdjustment(parentId: string): Promise<AdjustmentRow | null>;
  markReverted(id: string, at: Date, by: string): Promise<void>;
  /** Bumped in every transaction that changes a grid's geometry; point locators rebuild when it moves. */
  bumpEpoch(): Promise<void>;
  epoch(): Promise<number>;
  figures(gridIds: string[]): Promise<Map<string, Record<string, number>>>;
  // staff
  addStaff(gridId: string, s: { duty: StaffDuty; name: string; phone: string | null; userId: string | null; serviceItems: string; isPublic: boolean }, at: Date): Promise<string>;
  updateStaff(id: string, patch: Partial<{ duty: StaffDuty; name: string; phone: string | null; userId: string | null; serviceItems: string; isPublic: boolean }>): Promise<void>;
  endStaff(id: string, at: Date): Promise<void>;
  staffById(id: string): Promise<StaffRow | null>;
  // buildings
  building(id: string): Promise<BuildingFull | null>;
  buildingsList(scope: AreaScope, underPath: string): Promise<BuildingFull[]>;
  insertBuilding(b: { name: string; code: string | null; address: string | null; lon: number; lat: number; floors: number | null; gridId: string | null; districtId: string | null }, at: Date): Promise<string>;
}
