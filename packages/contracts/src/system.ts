import { z } from 'zod';

export const Health = z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']) });

/** Public facts the web apps need before login. */
export const Meta = z.object({
  name: z.string(),
  version: z.string(),
  db: z.enum(['pglite', 'postgres']),
  timeZone: z.string(),
  demo: z.boolean(),
  passwordPolicy: z.object({ minLength: z.number().int(), minClasses: z.number().int() }),
  /** Raster tile URL template for the map background; null = our own layers on a plain background. */
  mapTileUrl: z.string().nullable(),
});
export type Meta = z.infer<typeof Meta>;
