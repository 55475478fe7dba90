import type { Context } from 'hono';
import type { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';
import { pageByCode, statusByCode } from '../errors.js';
import { Layout } from './layout.js';
import { sendPage } from './render.js';

export type ErrorPageOptions = {
  /** Catalogue context: `error.<context>.<CODE>.*` keys win over `error.<CODE>.*` when present. */
  context?: string;
  /** Where "back to the form" points (only shown for codes whose table entry says `back: 'form'`). */
  formHref?: string;
};

/**
 * The one way an HTML route shows an error: the status from `statusByCode`, the words from the
 * catalogue keys in `pageByCode`, field names (never zod's English messages) for VALIDATION details.
 */
export function renderErrorPage(c: Context<AppEnv>, err: AppError, options: ErrorPageOptions = {}): Promise<Response> {
  const { m } = c.var.page;
  const entry = pageByCode[err.code];
  const pick = (generic: string, part: 'title' | 'text') => {
    const specific = options.context ? `error.${options.context}.${err.code}.${part}` : undefined;
    return specific && m.has(specific) ? m.t(specific) : m.t(generic);
  };
  const title = pick(entry.title, 'title');
  const fields = Array.isArray(err.details)
    ? [...new Set((err.details as { path?: unknown }[]).map((d) => String(d.path ?? '').split('.')[0] ?? ''))]
        .filter(Boolean)
        .map((f) => (m.has(`field.${f}`) ? m.t(`field.${f}`) : f))
    : [];
  const back =
    entry.back === 'form' && options.formHref
      ? { href: options.formHref, label: m.t('error.back.form') }
      : entry.back === 'home'
        ? { href: '/', label: m.t('error.back.home') }
        : undefined;
  const headers: Record<string, string> =
    err.retryAfter !== undefined ? { 'Retry-After': String(Math.max(1, Math.ceil(err.retryAfter))) } : {};
  return sendPage(
    c,
    <Layout {...c.var.page} title={title}>
      <h1>{title}</h1>
      <p>{pick(entry.text, 'text')}</p>
      {fields.length > 0 && <p class="notice error">{m.t('error.fields', { fields: fields.join(', ') })}</p>}
      {back && (
        <p>
          <a href={back.href}>{back.label}</a>
        </p>
      )}
    </Layout>,
    statusByCode[err.code],
    headers,
  );
}
