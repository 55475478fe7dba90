import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { rows } from '../../db/client.js';
import { templates } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import type { Renderer } from '../../mail/render.js';
import { blocking, type Check } from './check-template.js';
import { evaluateTemplate } from './evaluate-template.js';
import { loadVersions, parseRef } from './template-versions.js';

/**
 * Rolls back to an earlier version by publishing a copy of it as a new version (history is never
 * rewritten). The copy has the same subject, MJML and declarations, so it renders byte for byte what
 * that version rendered. A draft that was ahead stays in the history (no longer ahead).
 * Side effects: inserts one published `templates` row with `copied_from`.
 * @throws AppError NOT_FOUND (no such version), TEMPLATE_INVALID (it fails today's blocking checks).
 */
export async function rollbackTemplate(
  deps: Pick<Deps, 'db' | 'config' | 'clock'> & { renderer: Renderer },
  input: { by: string; key: string; locale: string; version: number },
): Promise<{ version: number; copiedFrom: number; checks: Check[] }> {
  const { by, key, locale, version } = input;
  const ref = parseRef(key, locale);
  const source = (await loadVersions(deps, ref)).find((v) => v.version === version);
  if (!source) throw new AppError('NOT_FOUND', `Template ${key}/${locale} has no version ${version}.`);
  const { checks } = await evaluateTemplate(deps, { ref, content: source, declared: source.variables });
  const errors = blocking(checks);
  if (errors.length > 0)
    throw new AppError(
      'TEMPLATE_INVALID',
      `Version ${version} fails ${errors.length} check(s) that block publishing.`,
      { details: errors },
    );
  const now = deps.clock.now();
  const next = await withTx(deps.db, async (tx) => {
    await rows(tx, sql`select pg_advisory_xact_lock(hashtext(${`template|${key}|${locale}`}))`);
    const newest = (await loadVersions({ db: tx }, ref))[0];
    const n = (newest?.version ?? 0) + 1;
    await tx.insert(templates).values({
      key,
      locale,
      version: n,
      subject: source.subject,
      mjml: source.mjml,
      messages: source.messages,
      variables: source.variables,
      status: 'published',
      source: 'console',
      createdAt: now,
      updatedAt: now,
      createdBy: by,
      publishedAt: now,
      publishedBy: by,
      copiedFrom: version,
    });
    return n;
  });
  return { version: next, copiedFrom: version, checks };
}
