import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { brandingLogo } from '../../db/schema/index.js';

export type StoredLogo = { contentType: string; bytes: Uint8Array; sha256: string; updatedAt: Date };

/** The uploaded logo, or undefined when none was uploaded. */
export async function getLogo(ctx: Pick<Deps, 'db'>): Promise<StoredLogo | undefined> {
  const [row] = await ctx.db.select().from(brandingLogo).where(eq(brandingLogo.id, 1)).limit(1);
  if (!row) return undefined;
  return {
    contentType: row.contentType,
    bytes: new Uint8Array(Buffer.from(row.dataBase64, 'base64')),
    sha256: row.sha256,
    updatedAt: row.updatedAt,
  };
}
