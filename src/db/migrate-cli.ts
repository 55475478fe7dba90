import { loadConfigOrExit } from '../load-config-or-exit.js';
import { createDatabase } from './client.js';
import { migrateDatabase } from './migrate.js';

// `npm run db:migrate`: apply pending migrations to the configured database and exit.
const config = loadConfigOrExit(process.env);
const database = await createDatabase(config.database);
await migrateDatabase(database);
await database.close();
console.log(`migrations applied (${config.database.kind})`);
