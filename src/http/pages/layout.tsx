import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Messages, PageCatalogue } from './messages.js';
import { appCssVersion } from './stylesheet.js';

/** The console's branding as the hosted pages use it (validated there: http(s) URLs, `#rrggbb`). */
export type PageBrand = {
  logoUrl: string | null;
  accentColor: string | null;
  shopUrl: string | null;
  privacyText: string | null;
  /** The footer text of the emails (the shop's postal address), shown under every page too. */
  footerText?: string | null;
};

/** What every page needs: the request's messages, the shop name and branding, and the catalogue (to switch locale). */
export type PageChrome = { m: Messages; shopName: string; brand?: PageBrand; catalogue: PageCatalogue };

/** `footerKey`: the page-copy key of the footer line (order pages have their own, not the restock-alert one). */
type LayoutProps = PageChrome & { title: string; children?: Child; footerKey?: string };

/** The one shopper layout: header with the shop name, a card for the content, a footer line. */
export function Layout({ m, shopName, brand, title, children, footerKey }: LayoutProps) {
  const name = brand?.logoUrl ? (
    <img class="brand-logo" src={brand.logoUrl} alt={shopName} />
  ) : (
    <span class="brand">{shopName}</span>
  );
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={m.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${title} · ${shopName}`}</title>
          <link rel="stylesheet" href={`/assets/app.css?v=${appCssVersion}`} />
          {/* The accent colour as a stylesheet of its own: the pages' CSP allows no inline style. */}
          {brand?.accentColor ? (
            <link rel="stylesheet" href={`/assets/brand.css?accent=${encodeURIComponent(brand.accentColor)}`} />
          ) : null}
        </head>
        <body>
          <a class="skip" href="#content">
            {m.t('layout.skip')}
          </a>
          <header class="site-header">
            <div class="bar">
              {brand?.logoUrl ? null : <span class="brand-mark" aria-hidden="true"></span>}
              {brand?.shopUrl ? (
                <a class="brand-link" href={brand.shopUrl}>
                  {name}
                </a>
              ) : (
                name
              )}
            </div>
          </header>
          <main id="content">
            <div class="card">{children}</div>
          </main>
          <footer class="site-footer">
            {m.t(footerKey ?? 'layout.footer', { shop: shopName })}
            {brand?.footerText ? <p class="footer-text">{brand.footerText}</p> : null}
            {brand?.privacyText ? <p class="privacy">{brand.privacyText}</p> : null}
          </footer>
        </body>
      </html>
    </>
  );
}
