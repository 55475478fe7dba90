import type { Deps } from '../../deps.js';
import type { Template } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { VersionAudit } from './list-template-versions.js';
import {
  currentPublished,
  declarationsFor,
  fallbackLocales,
  loadVersions,
  parseRef,
  PAGES_KEY,
} from './template-versions.js';

export type TemplateView = {
  key: string;
  locale: string;
  subject: string;
  mjml: string;
  /** Key `pages` only: the catalogue of this locale. */
  messages?: Record<string, string>;
  /** 0 with status `new`: no version in this locale yet; the content is the fallback locale's. */
  version: number;
  status: 'draft' | 'published' | 'new';
  /** True for the version senders use now. */
  current: boolean;
  publishedVersion: number | null;
  fallbackLocale?: string;
  variables: Template['variables'];
} & VersionAudit;

/**
 * One template: the draft when one is ahead, else the published version; `version` for any version.
 * A locale without versions answers its fallback's content as status `new` (saving creates it).
 * @throws AppError NOT_FOUND (unknown key, or no such version).
 */
export async function getTemplate(
  deps: Pick<Deps, 'db'>,
  input: { key: string; locale: string; version?: number | undefined },
): Promise<TemplateView> {
  const { key, locale, version } = input;
  const ref = parseRef(key, locale);
  const versions = await loadVersions(deps, ref);
  const published = currentPublished(versions);
  if (versions.length === 0) {
    for (const l of fallbackLocales(key, locale).slice(1)) {
      const other = await loadVersions(deps, { key, locale: l });
      const base = currentPublished(other) ?? other[0];
      if (base && version === undefined) {
        return {
          ...toView(base, null),
          locale,
          version: 0,
          status: 'new',
          current: false,
          fallbackLocale: l,
          variables: await declarationsFor(deps, { ref, versions }),
        };
      }
    }
    throw new AppError('NOT_FOUND', `No template ${key} in locale ${locale} (nor a fallback).`);
  }
  const row = version === undefined ? versions[0] : versions.find((v) => v.version === version);
  if (!row) throw new AppError('NOT_FOUND', `Template ${key}/${locale} has no version ${version}.`);
  return toView(row, published?.version ?? null);
}

function toView(row: Template, publishedVersion: number | null): TemplateView {
  return {
    key: row.key,
    locale: row.locale,
    subject: row.subject,
    mjml: row.mjml,
    ...(row.key === PAGES_KEY ? { messages: row.messages ?? {} } : {}),
    version: row.version,
    status: row.status,
    current: row.version === publishedVersion,
    publishedVersion,
    variables: row.variables,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    updatedAt: (row.updatedAt ?? row.createdAt).toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    publishedBy: row.publishedBy,
    copiedFrom: row.copiedFrom,
  };
}
