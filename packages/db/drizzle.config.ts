import { defineConfig } from 'drizzle-kit';

// Used only by `npx drizzle-kit generate` to write SQL migrations; the application applies them at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
});
