import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Messages, PageCatalogue } from './messages.js';
import { appCssVersion } from './stylesheet.js';

/** What every page needs: the request's messages, the shop name, and the catalogue (to switch locale). */
export type PageChrome = { m: Messages; shopName: string; catalogue: PageCatalogue };

type LayoutProps = PageChrome & { title: string; children?: Child };

/** The one shopper layout: header with the shop name, a card for the content, a footer line. */
export function Layout({ m, shopName, title, children }: LayoutProps) {
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
        </head>
        <body>
          <a class="skip" href="#content">{m.t('layout.skip')}</a>
          <header class="site-header">
            <div class="bar">
              <span class="brand-mark" aria-hidden="true"></span>
              <span class="brand">{shopName}</span>
            </div>
          </header>
          <main id="content">
            <div class="card">{children}</div>
          </main>
          <footer class="site-footer">{m.t('layout.footer', { shop: shopName })}</footer>
        </body>
      </html>
    </>
  );
}
