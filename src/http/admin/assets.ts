import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { designTokens } from '../design-tokens.js';
import type { AppEnv } from '../context.js';

/**
 * The console's static assets, built in memory: the stylesheet is read once, the client scripts
 * (CodeMirror 6 is ~20 ESM packages) are bundled once by esbuild on first use. Why a bundle rather
 * than an import map over node_modules: one request instead of ~25, no bare-specifier map to keep in
 * step with the lockfile, and minified output — while `npm ci && npm
 * start` stays the whole build. URLs carry a content hash, so responses are cached for a year.
 */
type Asset = { name: string; url: string; body: string; gzip: Buffer; type: string; etag: string };
export type ConsoleAssets = {
  /** Resolves (building on first call) the asset `editor.js`, `console.js` or `console.css`. */
  get(name: AssetName): Promise<Asset>;
  routes(): Hono<AppEnv>;
};
type AssetName = 'editor.js' | 'console.js' | 'console.css';

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const entries: Record<AssetName, string> = {
  'editor.js': here('./client/editor.ts'),
  'console.js': here('./client/console.ts'),
  'console.css': here('./assets/console.css'),
};

async function buildScript(entry: string): Promise<string> {
  // Imported lazily: esbuild starts a helper process, which only the console needs.
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

export function createConsoleAssets(): ConsoleAssets {
  const cache = new Map<AssetName, Promise<Asset>>();

  async function load(name: AssetName): Promise<Asset> {
    const entry = entries[name];
    const body = name.endsWith('.css') ? `${designTokens}\n${await readFile(entry, 'utf8')}` : await buildScript(entry);
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const [base, ext] = name.split('.') as [string, string];
    const type = ext === 'css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    return { name, url: `/admin/assets/${base}.${hash}.${ext}`, body, gzip: gzipSync(body), type, etag: `"${hash}"` };
  }

  const get = (name: AssetName) => {
    let asset = cache.get(name);
    if (!asset) {
      asset = load(name);
      // A failed build is retried on the next request rather than cached.
      asset.catch(() => cache.delete(name));
      cache.set(name, asset);
    }
    return asset;
  };

  return {
    get,
    routes() {
      const app = new Hono<AppEnv>();
      app.get('/admin/assets/:file', async (c) => {
        // `<name>.<hash>.<ext>` from the layout; plain `<name>.<ext>` for pages without the asset
        // registry (the login form), revalidated by ETag instead of cached for a year.
        const m = /^([a-z]+)(?:\.([0-9a-f]{12}))?\.(js|css)$/.exec(c.req.param('file'));
        const name = m ? (`${m[1]}.${m[3]}` as AssetName) : undefined;
        if (!m || !name || !(name in entries)) return c.text('Not found', 404);
        const asset = await get(name);
        // An old hash (after a redeploy) gets the current content but must not be cached forever.
        const current = asset.url.endsWith(c.req.param('file'));
        if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
        // Compressed once at build time (the editor bundle shrinks ~440 KB → ~140 KB).
        const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
        return c.body(gzip ? new Uint8Array(asset.gzip) : asset.body, 200, {
          'Content-Type': asset.type,
          Vary: 'Accept-Encoding',
          ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
          ETag: asset.etag,
          'Cache-Control': current ? 'public, max-age=31536000, immutable' : 'no-cache',
          'X-Content-Type-Options': 'nosniff',
        });
      });
      return app;
    },
  };
}
