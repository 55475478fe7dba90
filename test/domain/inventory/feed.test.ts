import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedState, inventoryEvents, products } from '../../../src/db/schema/index.js';
import { inventoryFeedJob } from '../../../src/jobs/inventory-feed.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';

let deps: TestDeps;
let server: Server;
let base: string;
let dir: string;
/** What the feed server currently serves, and what it was asked. */
const feed = { body: '', type: 'text/csv', etag: '"v1"', lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT', status: 200 };
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  deps = await createTestDeps();
  dir = await mkdtemp(join(tmpdir(), 'rn-feed-'));
  server = createServer((req, res) => {
    seen.push(req.headers);
    if (feed.status !== 200) {
      res.writeHead(feed.status).end('nope');
      return;
    }
    if (req.headers['if-none-match'] === feed.etag) {
      res.writeHead(304, { etag: feed.etag }).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': feed.type, etag: feed.etag, 'last-modified': feed.lastModified })
      .end(feed.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
  await deps.close();
});

const poll = (url: string) =>
  inventoryFeedJob(
    { ...deps, config: { ...deps.config, inventoryFeedUrl: url } },
    deps.services,
    new AbortController().signal,
  );
const quantity = async (sku: string) =>
  (await deps.db.select().from(products).where(eq(products.sku, sku)))[0]?.quantity;

describe('inventory feed polling', () => {
  it('HTTP CSV feed: applies rows, then sends a conditional GET and skips an unchanged feed (304)', async () => {
    feed.body = 'sku,quantity,eta\nFEED-1,0,2026-05-01\nFEED-2,3,\nFEED-3,oops,\n';
    const first = await poll(`${base}/feed.csv`);
    expect(first).toMatchObject({ outcome: 'applied', httpStatus: 200, received: 3, created: 2, rejected: 1 });
    expect(await quantity('FEED-2')).toBe(3);
    const [event] = await deps.db.select().from(inventoryEvents).where(eq(inventoryEvents.sku, 'FEED-1'));
    expect(event!.source).toBe('feed');

    const second = await poll(`${base}/feed.csv`);
    expect(second).toMatchObject({ outcome: 'unchanged', httpStatus: 304, received: 0 });
    expect(seen.at(-1)!['if-none-match']).toBe('"v1"');
    expect(seen.at(-1)!['if-modified-since']).toBe(feed.lastModified);

    feed.etag = '"v2"';
    feed.body = 'sku,quantity\nFEED-2,0\n';
    expect(await poll(`${base}/feed.csv`)).toMatchObject({ outcome: 'applied', updated: 1 });
    expect(await quantity('FEED-2')).toBe(0);
    const [state] = await deps.db
      .select()
      .from(feedState)
      .where(eq(feedState.url, `${base}/feed.csv`));
    expect(state).toMatchObject({ etag: '"v2"', lastStatus: 200, lastError: null });
  });

  it('HTTP JSON feed ({items:[…]}) and an error status that is recorded, not thrown', async () => {
    feed.etag = '"j1"';
    feed.type = 'application/json';
    feed.body = JSON.stringify({ items: [{ sku: 'FEED-J', quantity: 9, name: 'Json item' }] });
    expect(await poll(`${base}/feed.json`)).toMatchObject({ outcome: 'applied', created: 1 });
    expect(await quantity('FEED-J')).toBe(9);

    feed.status = 503;
    const failed = await poll(`${base}/other.json`);
    expect(failed).toMatchObject({ outcome: 'failed', httpStatus: 503 });
    const [state] = await deps.db
      .select()
      .from(feedState)
      .where(eq(feedState.url, `${base}/other.json`));
    expect(state!.lastError).toContain('503');
    feed.status = 200;
  });

  it('local file feed: read when its mtime/size change, skipped otherwise', async () => {
    const path = join(dir, 'stock.csv');
    await writeFile(path, 'sku,quantity\nFILE-1,2\n');
    await utimes(path, new Date('2026-03-01T10:00:00Z'), new Date('2026-03-01T10:00:00Z'));
    expect(await poll(path)).toMatchObject({ outcome: 'applied', created: 1 });
    expect(await poll(path)).toMatchObject({ outcome: 'unchanged' });
    await writeFile(path, 'sku,quantity\nFILE-1,5\n');
    await utimes(path, new Date('2026-03-01T10:05:00Z'), new Date('2026-03-01T10:05:00Z'));
    expect(await poll(`file://${path}`)).toMatchObject({ outcome: 'applied', updated: 1 });
    expect(await quantity('FILE-1')).toBe(5);
    expect(await poll(join(dir, 'missing.csv'))).toMatchObject({ outcome: 'failed' });
  });
});
