import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { feedState } from '../../db/schema/index.js';
import { applyInventoryBatch, MAX_BATCH_ROWS, type BatchSummary } from './apply-inventory-batch.js';
import { parseInventoryCsv } from './parse-inventory-csv.js';

/** A batch's counts (`errors`: the first 20 row errors; the count is in `rejected`), plus the poll's outcome. */
export type FeedSummary = BatchSummary & {
  url: string;
  outcome: 'unchanged' | 'applied' | 'failed';
  httpStatus?: number;
  error?: string;
  ms: number;
};

type Fetched = {
  status: number;
  body?: string;
  contentType?: string;
  etag?: string | null;
  lastModified?: string | null;
};

/**
 * Polls the inventory feed once: an http(s) URL with a conditional GET (If-None-Match /
 * If-Modified-Since from the validators stored in `feed_state` by the previous poll, on any
 * instance), or a local file (path or file:// URL, skipped while its mtime and size are unchanged).
 * The body is CSV (header row) or JSON (an array, or an object with an `items` or `products` array).
 * Rows are applied like bulk intake with source `feed`, in transactions of up to 10,000 rows; a
 * failure (network, HTTP status, unparsable body) is recorded and returned, never thrown, and the
 * validators are only stored after a successful apply so the next poll retries.
 */
export async function pollInventoryFeed(
  ctx: Pick<Deps, 'db' | 'clock' | 'log'>,
  input: { url: string },
): Promise<FeedSummary> {
  const { url } = input;
  const started = performance.now();
  const summary: FeedSummary = {
    url,
    outcome: 'unchanged',
    received: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    errors: [],
    ms: 0,
  };
  const [state] = await ctx.db.select().from(feedState).where(eq(feedState.url, url));
  const now = ctx.clock.now();
  let fetched: Fetched | undefined;
  try {
    fetched = /^https?:\/\//i.test(url) ? await fetchHttp(url, state) : await readLocal(url, state);
    summary.httpStatus = fetched.status;
    if (fetched.status === 304) return finish();
    if (fetched.status < 200 || fetched.status >= 300 || fetched.body === undefined)
      throw new Error(`feed answered HTTP ${fetched.status}`);
    const rows = parseFeed(fetched.body, fetched.contentType ?? '', url);
    summary.received = rows.length;
    for (let i = 0; i < rows.length; i += MAX_BATCH_ROWS) {
      const part = await applyInventoryBatch(ctx, { rows: rows.slice(i, i + MAX_BATCH_ROWS), source: 'feed' });
      summary.created += part.created;
      summary.updated += part.updated;
      summary.unchanged += part.unchanged;
      summary.rejected += part.rejected;
      summary.errors.push(...part.errors.slice(0, 20 - summary.errors.length));
    }
    summary.outcome = 'applied';
    await save({
      etag: fetched.etag ?? null,
      lastModified: fetched.lastModified ?? null,
      checkedAt: now,
      changedAt: now,
      lastStatus: fetched.status,
      lastError: null,
    });
  } catch (err) {
    summary.outcome = 'failed';
    summary.error = (err as Error).message;
    ctx.log.warn({ url, err }, 'inventory feed poll failed');
    await save({ checkedAt: now, lastStatus: fetched?.status ?? null, lastError: summary.error.slice(0, 1000) });
  }
  return finish();

  async function finish(): Promise<FeedSummary> {
    if (summary.outcome === 'unchanged')
      await save({ checkedAt: now, lastStatus: fetched?.status ?? null, lastError: null });
    summary.ms = Math.round(performance.now() - started);
    return summary;
  }
  async function save(values: Partial<typeof feedState.$inferInsert>): Promise<void> {
    await ctx.db
      .insert(feedState)
      .values({ url, ...values })
      .onConflictDoUpdate({ target: feedState.url, set: values });
  }
}

async function fetchHttp(
  url: string,
  state: { etag: string | null; lastModified: string | null } | undefined,
): Promise<Fetched> {
  const headers: Record<string, string> = { accept: 'text/csv, application/json;q=0.9, */*;q=0.5' };
  if (state?.etag) headers['if-none-match'] = state.etag;
  if (state?.lastModified) headers['if-modified-since'] = state.lastModified;
  const res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(60_000) });
  if (res.status === 304 || !res.ok) {
    await res.body?.cancel();
    return { status: res.status };
  }
  return {
    status: res.status,
    body: await res.text(),
    contentType: res.headers.get('content-type') ?? '',
    etag: res.headers.get('etag'),
    lastModified: res.headers.get('last-modified'),
  };
}

/** A local file's validator is its mtime and size (stored in the etag column). */
async function readLocal(location: string, state: { etag: string | null } | undefined): Promise<Fetched> {
  const path = location.startsWith('file:') ? fileURLToPath(location) : location;
  const info = await stat(path);
  const validator = `${info.mtimeMs}-${info.size}`;
  if (state?.etag === validator) return { status: 304 };
  return { status: 200, body: await readFile(path, 'utf8'), etag: validator, lastModified: info.mtime.toUTCString() };
}

function parseFeed(body: string, contentType: string, url: string): { row: number; line?: number; value: unknown }[] {
  const trimmed = body.trimStart();
  const json =
    /json/i.test(contentType) || /\.json(\?|$)/i.test(url) || trimmed.startsWith('[') || trimmed.startsWith('{');
  if (!json) return parseInventoryCsv(body).records;
  const data: unknown = JSON.parse(body);
  const list = Array.isArray(data)
    ? data
    : ((data as { items?: unknown }).items ?? (data as { products?: unknown }).products);
  if (!Array.isArray(list)) throw new Error('JSON feed must be an array or an object with an items/products array');
  return list.map((value, i) => ({ row: i + 1, value }));
}
