import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { rows } from '../../db/client.js';
import { templates } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import type { Renderer } from '../../mail/render.js';
import type { Check } from './check-template.js';
import { evaluateTemplate } from './evaluate-template.js';
import { contentFor, sameContent } from './template-content.js';
import { declarationsFor, loadVersions, parseRef } from './template-versions.js';

/**
 * Saves a draft of (key, locale). The console's draft ahead of the published version is saved in
 * place (an editor saves often; history keeps what was published and what files brought); anything
 * else — a published newest version, a draft a deploy seeded — gets a new draft version on top.
 * Saving content equal to the newest version changes nothing. Checks are returned, never blocking.
 * Side effects: inserts or updates one `templates` row (serialized per key+locale).
 * @throws AppError VALIDATION (body), NOT_FOUND (a key that exists in no locale).
 */
export async function saveTemplateDraft(
  deps: Pick<Deps, 'db' | 'config' | 'clock'> & { renderer: Renderer },
  input: { by: string; key: string; locale: string; body: unknown },
): Promise<{ version: number; checks: Check[] }> {
  const { by, key, locale } = input;
  const ref = parseRef(key, locale);
  const content = contentFor(key, input.body);
  const before = await loadVersions(deps, ref);
  if (before.length === 0) {
    const known = await deps.db.select({ id: templates.id }).from(templates).where(eq(templates.key, key)).limit(1);
    if (known.length === 0) throw new AppError('NOT_FOUND', `No template ${key}.`);
  }
  const declared = await declarationsFor(deps, { ref, versions: before });
  const { checks } = await evaluateTemplate(deps, { ref, content, declared });
  const now = deps.clock.now();
  const version = await withTx(deps.db, async (tx) => {
    await rows(tx, sql`select pg_advisory_xact_lock(hashtext(${`template|${key}|${locale}`}))`);
    const versions = await loadVersions({ db: tx }, ref);
    const newest = versions[0];
    if (newest && sameContent(newest, content)) return newest.version;
    if (newest && newest.status === 'draft' && newest.source === 'console') {
      await tx
        .update(templates)
        .set({
          subject: content.subject,
          mjml: content.mjml,
          messages: content.messages ?? null,
          updatedAt: now,
          createdBy: by,
        })
        .where(and(eq(templates.id, newest.id), eq(templates.status, 'draft')));
      return newest.version;
    }
    const next = (newest?.version ?? 0) + 1;
    await tx.insert(templates).values({
      key,
      locale,
      version: next,
      subject: content.subject,
      mjml: content.mjml,
      messages: content.messages ?? null,
      variables: declared,
      status: 'draft',
      source: 'console',
      createdAt: now,
      updatedAt: now,
      createdBy: by,
    });
    return next;
  });
  return { version, checks };
}
