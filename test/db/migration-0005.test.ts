import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, rows, type Database } from '../../src/db/client.js';
import { migrationsFolder } from '../../src/db/migrate.js';

// Data written before the delivery-kind migration keeps its meaning after it (embedded PGlite; the
// migration's SQL is plain PostgreSQL 15).
let db: Database;
let before: string;
beforeAll(async () => {
  before = await mkdtemp(join(tmpdir(), 'rn-migrations-'));
  await cp(migrationsFolder, before, { recursive: true });
  const journalPath = join(before, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((e) => e.tag.endsWith('_delivery_kinds'));
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
  db = await createDatabase({ kind: 'pglite', dir: 'memory://' });
});
afterAll(() => db?.close());

describe('migration delivery_kinds', () => {
  it('event_id becomes kind + ref_id, _scrub is applied, a pending token hash becomes a confirmation link', async () => {
    await migrate(db.db as never, { migrationsFolder: before });
    await rows(db.db, sql`insert into products (sku, name, quantity) values ('M-1', 'Kettle', 0)`);
    await rows(
      db.db,
      sql`insert into subscriptions (id, email, email_normalized, sku, status, confirm_token_hash, confirm_expires_at, created_at)
      values (7, 'a@example.com', 'a@example.com', 'M-1', 'pending', ${'f'.repeat(64)}, '2026-03-02T00:00:00Z', now())`,
    );
    const ins = (key: string, template: string, eventId: number | null, status: string, vars: unknown) =>
      rows(
        db.db,
        sql`insert into deliveries (dedupe_key, recipient, recipient_normalized, template_key, locale, variables, subscription_id,
          event_id, bulk, priority, status, next_attempt_at, created_at, updated_at)
        values (${key}, 'a@example.com', 'a@example.com', ${template}, null, ${JSON.stringify(vars)}::jsonb, 7, ${eventId}, ${template !== 'confirm'},
          ${template === 'confirm' ? 0 : 1}, ${status}::delivery_status, now(), now(), now())`,
      );
    await ins('confirm:7:aaaa', 'confirm', null, 'queued', {
      confirmUrl: 'u1',
      productName: 'Kettle',
      _scrub: ['confirmUrl'],
    });
    await ins('confirm:7:bbbb', 'confirm', null, 'sent', {
      confirmUrl: 'u2',
      productName: 'Kettle',
      _scrub: ['confirmUrl'],
    });
    await ins('restock:3:7', 'back-in-stock', 3, 'sent', { productName: 'Kettle' });
    await ins('eta:4:7', 'eta-revised', 4, 'queued', { productName: 'Kettle' });

    await migrate(db.db as never, { migrationsFolder });

    const after = await rows<{
      dedupe_key: string;
      kind: string;
      ref_id: number | null;
      variables: Record<string, unknown>;
    }>(db.db, sql`select dedupe_key, kind, ref_id, variables from deliveries order by id`);
    expect(after).toEqual([
      {
        dedupe_key: 'confirm:7:aaaa',
        kind: 'confirmation',
        ref_id: null,
        variables: { confirmUrl: 'u1', productName: 'Kettle' },
      },
      { dedupe_key: 'confirm:7:bbbb', kind: 'confirmation', ref_id: null, variables: { productName: 'Kettle' } },
      { dedupe_key: 'restock:3:7', kind: 'back-in-stock', ref_id: 3, variables: { productName: 'Kettle' } },
      { dedupe_key: 'eta:4:7', kind: 'eta-revised', ref_id: 4, variables: { productName: 'Kettle' } },
    ]);
    const links = await rows<{ token_hash: string; subscription_id: number; expires_at: string }>(
      db.db,
      sql`select token_hash, subscription_id, expires_at::text as expires_at from confirmation_tokens`,
    );
    expect(links).toEqual([
      { token_hash: 'f'.repeat(64), subscription_id: 7, expires_at: expect.stringMatching(/^2026-03-02 00:00:00/) },
    ]);
  });
});
