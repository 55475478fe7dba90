import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { currentPublished, loadVersions, parseRef } from './template-versions.js';

/** Where a version came from and who wrote and published it, when (shared by the history and a single version). */
export type VersionAudit = {
  source: string;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  publishedAt: string | null;
  publishedBy: string | null;
  copiedFrom: number | null;
};

export type VersionSummary = {
  version: number;
  status: 'draft' | 'published';
  /** The version senders use now. */
  current: boolean;
} & VersionAudit;

/**
 * The history of (key, locale), newest first: who wrote and published each version, when, and what
 * a rollback copied. Content per version: `getTemplate(…, { version })` (the console diffs two of them).
 * @throws AppError NOT_FOUND
 */
export async function listTemplateVersions(
  deps: Pick<Deps, 'db'>,
  input: { key: string; locale: string },
): Promise<{ publishedVersion: number | null; versions: VersionSummary[] }> {
  const { key, locale } = input;
  const ref = parseRef(key, locale);
  const versions = await loadVersions(deps, ref);
  if (versions.length === 0) throw new AppError('NOT_FOUND', `No template ${key}/${locale}.`);
  const published = currentPublished(versions)?.version ?? null;
  return {
    publishedVersion: published,
    versions: versions.map((v) => ({
      version: v.version,
      status: v.status,
      current: v.version === published,
      source: v.source,
      createdAt: v.createdAt.toISOString(),
      createdBy: v.createdBy,
      updatedAt: (v.updatedAt ?? v.createdAt).toISOString(),
      publishedAt: v.publishedAt?.toISOString() ?? null,
      publishedBy: v.publishedBy,
      copiedFrom: v.copiedFrom,
    })),
  };
}
