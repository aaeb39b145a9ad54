export * from './i18n.ts';
export * from './errors.ts';
export * from './roles.ts';
export * from './areas.ts';
export * from './auth.ts';
export * from './users.ts';
export * from './audit.ts';
export * from './system.ts';
