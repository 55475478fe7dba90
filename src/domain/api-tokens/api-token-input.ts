import { z } from 'zod';
import type { ApiToken } from '../../db/schema/index.js';
import { Scope } from '../../config.js';

export const NewApiTokenInput = z.object({
  name: z.string().trim().min(1, 'give the token a name').max(100),
  scope: Scope,
});
export type NewApiTokenInput = z.infer<typeof NewApiTokenInput>;

/** What the API shows of a token: never the secret or its hash. */
export type PublicApiToken = {
  id: number;
  name: string;
  scope: ApiToken['scope'];
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export const toPublicApiToken = (t: ApiToken): PublicApiToken => ({
  id: t.id,
  name: t.name,
  scope: t.scope,
  prefix: t.prefix,
  createdBy: t.createdBy,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});
