import { eq } from 'drizzle-orm';
import type { Deps } from '../../../deps.js';
import { brandingLogo } from '../../../db/schema/index.js';
import { getLogo, type StoredLogo } from '../../../domain/branding/get-logo.js';
import { LOGO_PATH } from '../../../domain/branding/logo-image.js';
import { createPageRouter } from '../../router.js';
import { AppError } from '../../../errors.js';

/**
 * `GET /brand/logo`: the logo uploaded in the console. Emails and pages link `?v=<hash>`, so a link
 * made for one image is cached for a day by mail proxies and browsers; the ETag (the image's sha256)
 * makes revalidation a 304. Any `v` serves the current logo: an email sent before a new upload shows
 * the new one rather than a broken image. The bytes are kept per process, keyed by their hash, so a
 * newsletter opened by thousands costs one tiny query per open, not a 512 KB read.
 */
export function brandLogoRoutes(deps: Pick<Deps, 'db' | 'log'>) {
  const app = createPageRouter({ log: deps.log as Deps['log'] });
  let held: StoredLogo | undefined;
  app.get(LOGO_PATH, async (c) => {
    const [row] = await deps.db
      .select({ sha256: brandingLogo.sha256 })
      .from(brandingLogo)
      .where(eq(brandingLogo.id, 1))
      .limit(1);
    if (!row) throw new AppError('NOT_FOUND', 'No logo has been uploaded.');
    const etag = `"${row.sha256}"`;
    const headers = {
      ETag: etag,
      'Cache-Control': c.req.query('v') === row.sha256.slice(0, 16) ? 'public, max-age=86400' : 'public, max-age=300',
      // Webmail shows it from its own origin (or through its image proxy).
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    if (held?.sha256 !== row.sha256) held = await getLogo(deps);
    if (!held) throw new AppError('NOT_FOUND', 'No logo has been uploaded.');
    return c.body(held.bytes as Uint8Array<ArrayBuffer>, 200, {
      ...headers,
      'Content-Type': held.contentType,
      'Last-Modified': held.updatedAt.toUTCString(),
    });
  });
  return app;
}
