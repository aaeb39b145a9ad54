export * from './areas.ts';
export * from './users.ts';
export * from './audit.ts';
export * from './jobs.ts';
export * from './grids.ts';
export * from './cases.ts';
export * from './registry.ts';
