import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { templates, type Template } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { deliveryKinds } from '../../ledger/kinds/index.js';
import { defaultLocale } from '../../mail/template-file.js';
import { BRANDING_VARIABLES } from '../branding/branding-input.js';

/** The hosted pages' copy is versioned in `templates` under this key, one catalogue per locale. */
export const PAGES_KEY = 'pages';

/**
 * Emails of the bulk lane (the delivery-kind registry says which): they go to a waitlist and must
 * show an unsubscribe link. Transactional mail (confirmation, order notices) may not offer one.
 */
export const BULK_TEMPLATE_KEYS: ReadonlySet<string> = new Set(
  deliveryKinds.kinds.filter((k) => k.lane === 'bulk').map((k) => k.templateKey),
);

/** Names the sender adds to every email besides the template's own declarations. */
export const SENDER_VARIABLES = ['locale', 'unsubscribeUrl', ...BRANDING_VARIABLES] as const;

const TemplateKey = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a template key like back-in-stock');
const TemplateLocale = z
  .string()
  .regex(/^(default|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/, 'must be a locale like en, de or de-AT');

export type TemplateRef = { key: string; locale: string };

export function parseRef(key: string, locale: string): TemplateRef {
  const k = TemplateKey.safeParse(key);
  const l = TemplateLocale.safeParse(locale);
  if (!k.success || !l.success)
    throw new AppError('VALIDATION', 'Unknown template key or locale format.', { details: { key, locale } });
  return { key, locale };
}

/** Every version of one (key, locale), newest first. A handful of rows: history is short. */
export function loadVersions(ctx: { db: Db }, ref: TemplateRef): Promise<Template[]> {
  return ctx.db
    .select()
    .from(templates)
    .where(and(eq(templates.key, ref.key), eq(templates.locale, ref.locale)))
    .orderBy(desc(templates.version));
}

/** The version senders use: the highest published one. */
export const currentPublished = (versions: readonly Template[]) => versions.find((v) => v.status === 'published');

/** The draft ahead of the published version, if the newest version is one. */
export const draftAhead = (versions: readonly Template[]) =>
  versions[0]?.status === 'draft' ? versions[0] : undefined;

/**
 * Declarations for a (key, locale): the newest version's, else the same key's in another locale
 * (a new German variant declares what the default does).
 */
export async function declarationsFor(
  ctx: { db: Db },
  input: { ref: TemplateRef; versions: readonly Template[] },
): Promise<Template['variables']> {
  const { ref, versions } = input;
  const own = versions[0]?.variables;
  if (own && Object.keys(own).length > 0) return own;
  const [other] = await ctx.db
    .select({ variables: templates.variables })
    .from(templates)
    .where(eq(templates.key, ref.key))
    .orderBy(desc(templates.version))
    .limit(1);
  return other?.variables ?? {};
}

export const declaredNames = (variables: Template['variables']): Set<string> =>
  new Set([...Object.keys(variables), ...SENDER_VARIABLES]);

/** The fallback chain of a locale, as the sender picks (pickTemplate): `de-AT` → `de` → `en` (→ `default`, rows of old installs). */
export function fallbackLocales(key: string, locale: string): string[] {
  const out = [locale];
  const lang = locale.split('-')[0];
  if (lang && lang !== locale) out.push(lang);
  out.push(defaultLocale);
  if (key !== PAGES_KEY) out.push('default');
  return [...new Set(out)];
}
