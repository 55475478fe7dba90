import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';

/**
 * Migrates one database once per run, then every test file clones it:
 * - PGlite: a migrated instance dumped to a tarball (`loadDataDir` per file, ≈1 s instead of ≈3 s);
 * - PostgreSQL (`TEST_DATABASE_URL`): a template database (`CREATE DATABASE … TEMPLATE` per file).
 */
export default async function setup(project: TestProject) {
  // Behind a transaction pooler (the CI's pgbouncer run) the template is built over the direct URL:
  // migrations hold a session advisory lock, which a transaction pooler cannot keep.
  const url = process.env.TEST_DATABASE_DIRECT_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    const template = `rn_template_${process.pid}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${template}`);
    await admin.unsafe(`create database ${template}`);
    const target = new URL(url);
    target.pathname = `/${template}`;
    const database = await createDatabase({ kind: 'postgres', url: target.toString(), poolSize: 2 });
    await migrateDatabase(database);
    await database.close();
    project.provide('pgTemplate', template);
    return async () => {
      await admin.unsafe(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'rn-pglite-'));
  const database = await createDatabase({ kind: 'pglite', dir: 'memory://' });
  await migrateDatabase(database);
  if (database.raw.kind !== 'pglite') throw new Error('expected PGlite');
  const dump = await database.raw.pg.dumpDataDir('none');
  await database.close();
  const file = join(dir, 'template.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteDump', file);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate?: string;
    pgliteDump?: string;
  }
}
