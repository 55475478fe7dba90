import type { Deps } from '../../deps.js';
import { getBranding } from '../../domain/branding/get-branding.js';
import { loadPageCopy } from '../../domain/templates/load-page-copy.js';
import type { PageBrand } from './layout.js';
import { layerMessages, type PageCatalogue } from './messages.js';

export type PageSettingsValue = { shopName: string; brand: PageBrand; catalogue: PageCatalogue };

const noBrand: PageBrand = { logoUrl: null, accentColor: null, shopUrl: null, privacyText: null };

/**
 * What the console changes about the hosted pages — the branding (shop name, logo, accent colour,
 * link back to the shop, privacy line) and the published
 * pages copy laid over the shipped catalogue — cached for `ttlMs` so a page costs no query. After
 * the TTL the old value is served while one reload runs; `invalidate()` (called by the console's
 * routes after a change) makes the next request wait for fresh values, so an edit shows at once on
 * the instance that made it and within the TTL on the others.
 */
export type PageSettings = { get(): Promise<PageSettingsValue>; invalidate(): void };

export function createPageSettings(
  deps: Pick<Deps, 'db' | 'config' | 'log'>,
  shipped: PageCatalogue,
  ttlMs = 10_000,
): PageSettings {
  let value: PageSettingsValue | undefined;
  let loadedAt = 0;
  let loading: Promise<PageSettingsValue> | undefined;
  let generation = 0;

  const load = () => {
    const gen = generation;
    const p = Promise.all([getBranding(deps), loadPageCopy(deps)])
      .then(([branding, copy]) => {
        const { logoUrl, accentColor, shopUrl, privacyText, footerText } = branding;
        const fresh = {
          shopName: branding.shopName,
          brand: { logoUrl, accentColor, shopUrl, privacyText, footerText },
          catalogue: Object.keys(copy).length > 0 ? layerMessages(shipped, copy) : shipped,
        };
        // A reload that started before an invalidate() must not overwrite what came after it.
        if (gen === generation) {
          value = fresh;
          loadedAt = Date.now();
        }
        return fresh;
      })
      .catch((err: unknown) => {
        deps.log.warn({ err }, 'page settings reload failed; serving the shipped copy');
        return value ?? { shopName: deps.config.shopName, brand: noBrand, catalogue: shipped };
      })
      .finally(() => {
        if (loading === p) loading = undefined;
      });
    loading = p;
    return p;
  };

  return {
    get() {
      if (!value) return loading ?? load();
      if (Date.now() - loadedAt > ttlMs && !loading) void load();
      return Promise.resolve(value);
    },
    invalidate() {
      generation += 1;
      value = undefined;
      loading = undefined;
    },
  };
}
