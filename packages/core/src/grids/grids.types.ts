import type { Polygon } from 'geojson';
import type { GridType, STAFF_DUTIES, StaffView } from '@wangge/contracts';

/** Who is responsible for a grid (三公开: name, phone and service items are published); the list lives in contracts. */
export type StaffDuty = (typeof STAFF_DUTIES)[number];

export interface GridRow {
  id: string;
  parentId: string;
  path: string;
  depth: number;
  level: 'grid' | 'community' | 'street' | 'district' | 'city' | 'province';
  code: string;
  nameZh: string;
  gridType: GridType | null;
  geometry: Polygon | null;
  version: number;
  validFrom: Date;
  districtId: string | null;
  /** Split, merged or retired away: kept for history, never changed again. */
  retired: boolean;
}

export interface NewGrid {
  tempId: string;
  code: string;
  nameZh: string;
  gridType: GridType;
  geometry: Polygon;
}

/** One set of changes under one parent: what split, merge, redraw, create, import and renumber all come down to. */
export interface ChangeSet {
  creates: NewGrid[];
  updates: { id: string; geometry?: Polygon; code?: string; nameZh?: string }[];
  retires: string[];
}

export interface BuildingRow {
  id: string;
  name: string;
  gridId: string | null;
  pinned: boolean;
  lon: number;
  lat: number;
}

/** A responsible person of a grid, as stored (phone decrypted) and as the API shows it. */
export type StaffRow = StaffView;

/** What an adjustment must be able to undo. */
export interface UndoRecord {
  created: string[];
  retired: string[];
  updated: { id: string; geometry: Polygon | null; code: string; nameZh: string; version: number; validFrom: string }[];
  buildingMoves: { id: string; from: string | null; to: string | null }[];
  staffMoves: { id: string; from: string; to: string }[];
  /** Open cases that moved with the grids (absent in adjustments made before cases existed). */
  caseMoves?: { id: string; from: string; to: string }[];
  /** Registry records placed straight in a retired grid (no building to follow), moved into the grid that replaced it. */
  registryMoves?: { ledger: string; ids: string[]; from: string; to: string }[];
}
