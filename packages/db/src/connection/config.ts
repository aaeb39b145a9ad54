import { z } from 'zod';

/** The database module's configuration fragment (documented in the README by tools/gen-docs.ts). */
export const dbConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .describe('PostgreSQL connection URL. Unset: the embedded PGlite database under DATA_DIR (evaluation and small sites).'),
  DATA_DIR: z.string().min(1).default('./data').describe('Where the embedded database, uploads and the generated secret key live.'),
  DB_QUERY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(30_000)
    .describe('Time limit of one database query in milliseconds; on PGlite a query past it restarts the database worker.'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10).describe('PostgreSQL connection pool size.'),
});
export type DbConfig = z.infer<typeof dbConfigSchema>;
