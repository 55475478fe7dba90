import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { rows } from '../../db/client.js';
import { templates } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import type { Renderer } from '../../mail/render.js';
import { blocking, type Check } from './check-template.js';
import { evaluateTemplate } from './evaluate-template.js';
import { declarationsFor, draftAhead, loadVersions, parseRef } from './template-versions.js';

/**
 * Publishes the draft ahead of the published version: it becomes the version every send uses from
 * the next send pass on. Blocking checks refuse it.
 * Side effects: sets `status = published`, `published_at`, `published_by` on the draft row.
 * @throws AppError TEMPLATE_INVALID (details = the blocking checks, with lines), CONFLICT (no draft).
 */
export async function publishTemplate(
  deps: Pick<Deps, 'db' | 'config' | 'clock'> & { renderer: Renderer },
  input: { by: string; key: string; locale: string },
): Promise<{ version: number; checks: Check[] }> {
  const { by, key, locale } = input;
  const ref = parseRef(key, locale);
  const versions = await loadVersions(deps, ref);
  if (versions.length === 0) throw new AppError('NOT_FOUND', `No template ${key}/${locale}.`);
  const draft = draftAhead(versions);
  if (!draft) throw new AppError('CONFLICT', `Template ${key}/${locale} has no draft ahead of the published version.`);
  const { checks } = await evaluateTemplate(deps, {
    ref,
    content: draft,
    declared: await declarationsFor(deps, { ref, versions }),
  });
  const errors = blocking(checks);
  if (errors.length > 0)
    throw new AppError('TEMPLATE_INVALID', `The draft has ${errors.length} problem(s) that block publishing.`, {
      details: errors,
    });
  await withTx(deps.db, async (tx) => {
    await rows(tx, sql`select pg_advisory_xact_lock(hashtext(${`template|${key}|${locale}`}))`);
    // Only if it is still the same, unchanged draft: an edit saved meanwhile must be checked again.
    const updated = await tx
      .update(templates)
      .set({ status: 'published', publishedAt: deps.clock.now(), publishedBy: by })
      .where(
        and(
          eq(templates.id, draft.id),
          eq(templates.status, 'draft'),
          eq(templates.mjml, draft.mjml),
          eq(templates.subject, draft.subject),
        ),
      )
      .returning({ id: templates.id });
    if (updated.length === 0)
      throw new AppError('CONFLICT', 'The draft changed while publishing; check it and publish again.');
  });
  return { version: draft.version, checks };
}
