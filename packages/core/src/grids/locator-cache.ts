import { GridLocator } from '../areas/locator.ts';
import type { GridsPort } from './grids.ports.ts';

/**
 * Keeps a point→grid index of the live grids in memory and rebuilds it when the grid epoch
 * (bumped in every transaction that changes a grid's geometry) moves — checked on every lookup,
 * so a lookup never answers from grids that another process has since redrawn.
 */
export class LocatorCache {
  private locator: GridLocator | null = null;
  private epoch = -1;
  private building: Promise<GridLocator> | null = null;

  async get(grids: Pick<GridsPort, 'epoch' | 'allLiveGrids'>): Promise<GridLocator> {
    const current = await grids.epoch();
    if (this.locator && current === this.epoch) return this.locator;
    this.building ??= (async () => {
      const rows = await grids.allLiveGrids();
      const locator = new GridLocator(
        rows.filter((r) => r.geometry).map((r) => ({ id: r.id, path: r.path, level: r.depth, gridType: r.gridType ?? 'basic', polygon: r.geometry! })),
      );
      this.locator = locator;
      this.epoch = current;
      return locator;
    })().finally(() => (this.building = null));
    return this.building;
  }

  invalidate(): void {
    this.epoch = -1;
  }
}
