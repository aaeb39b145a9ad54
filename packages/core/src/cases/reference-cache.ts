import type { Store } from '../ports.ts';
import type { GridRow } from '../grids/grids.types.ts';
import type { CategoryRow, ReferenceStamp, RuleRow, UnitRow } from './cases.ports.ts';

/**
 * The reference data a case intake reads — categories, routing rules, handling units, areas, and
 * the stamps of the grid locator and the working calendar — kept in memory and checked with ONE
 * read per request (`referenceStamp`; statement triggers bump it on every change, in any server,
 * ADR 0005). `ports(store)` hands out the store with those reads served from memory: the use-cases
 * call the same port methods either way.
 *
 * Rows handed out are shared between requests: treat them as read-only (the use-cases do).
 */
export class ReferenceCache {
  private config: string | null = null;
  private categories = new Map<string, Promise<CategoryRow | null>>();
  private areas = new Map<string, Promise<GridRow | null>>();
  private rules: Promise<RuleRow[]> | null = null;
  private units: Promise<UnitRow[]> | null = null;

  /** The store with reference reads from memory, valid for this request (the stamp was read just now). */
  async ports(store: Store): Promise<Store> {
    const stamp = await store.cases.referenceStamp();
    return this.overlay(store, stamp);
  }

  private overlay(store: Store, stamp: ReferenceStamp): Store {
    if (stamp.config !== this.config) {
      // New maps, not clear(): a load begun under the old stamp lands in the old map and is dropped.
      this.config = stamp.config;
      this.categories = new Map();
      this.areas = new Map();
      this.rules = null;
      this.units = null;
    }
    const { categories, areas } = this;
    const area = (id: string) => memo(areas, id, () => store.grids.area(id));
    return {
      ...store,
      cases: {
        ...store.cases,
        category: (id) => memo(categories, id, () => store.cases.category(id)),
        rules: () => (this.rules ??= forget(store.cases.rules(), () => (this.rules = null))),
        units: () => (this.units ??= forget(store.cases.units(), () => (this.units = null))),
        calendarStamp: async () => stamp.calendar,
        referenceStamp: async () => stamp,
      },
      grids: {
        ...store.grids,
        epoch: async () => stamp.grids,
        area,
        areas: async (ids) => (await Promise.all(ids.map(area))).filter((a): a is GridRow => a !== null),
      },
    };
  }
}

/** A failed load is not kept: the next request tries again. */
function forget<T>(p: Promise<T>, drop: () => void): Promise<T> {
  p.catch(drop);
  return p;
}

function memo<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = forget(load(), () => map.delete(key));
    map.set(key, p);
  }
  return p;
}

/**
 * Case numbers (WG + local date + a number from the sequence, at least 6 digits), reserved from the
 * database in blocks so the intake needs no read before it writes. Numbers are unique; across
 * servers they are not in report order, and a stopped server leaves the rest of its block unused.
 */
export class CaseNumbers {
  private free: string[] = [];
  private pending: Promise<void> | null = null;

  constructor(private readonly block = 20) {}

  async next(port: Pick<Store['cases'], 'reserveCaseNumbers'>, prefix: string): Promise<string> {
    while (this.free.length === 0) {
      this.pending ??= port.reserveCaseNumbers(this.block).then(
        (ns) => void this.free.push(...ns),
      ).finally(() => (this.pending = null));
      await this.pending;
    }
    return prefix + this.free.shift()!.padStart(6, '0');
  }
}
