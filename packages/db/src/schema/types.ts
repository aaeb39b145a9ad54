import { customType } from 'drizzle-orm/pg-core';

/** PostgreSQL ltree: an area's ancestor path (ids joined by dots). Both PGlite and PostgreSQL ship it. */
export const ltree = customType<{ data: string; driverData: string }>({
  dataType: () => 'ltree',
});
