import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema files and committed; they are never edited once landed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
});
