import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { suppressions } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { normalizeEmail } from '../../mail/address.js';

/**
 * Lets bulk mail reach an address again (e.g. a bounce that was the mailbox provider's fault).
 * Side effects: deletes one `suppressions` row. @throws AppError NOT_FOUND
 */
export async function removeSuppression(
  ctx: Pick<Deps, 'db'>,
  input: { email: string },
): Promise<{ email: string; reason: string }> {
  const { email } = input;
  const [row] = await ctx.db
    .delete(suppressions)
    .where(eq(suppressions.email, normalizeEmail(email)))
    .returning();
  if (!row) throw new AppError('NOT_FOUND', 'That address is not suppressed.');
  return { email: row.email, reason: row.reason };
}
