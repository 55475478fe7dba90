import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { templates, templateVariables, type TemplateVariable } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { SENDER_VARIABLES } from '../templates/template-versions.js';

/**
 * Variables marketing staff add for their own templates (`{{supportPhone}}`, `{{promoLine}}`): every
 * email may use them; the preview fills the sample value, the sender the default. A name the sender
 * or a template already gives a meaning is refused, so a shop variable never shadows real data.
 */
export const ShopVariableInput = z
  .object({
    name: z
      .string()
      .trim()
      .regex(
        /^[a-z][A-Za-z0-9]{0,39}$/,
        'must start with a small letter and use letters and digits only, like supportPhone',
      ),
    description: z.string().trim().max(200, 'must be at most 200 characters').optional().default(''),
    sampleValue: z.string().max(500, 'must be at most 500 characters'),
    defaultValue: z.string().max(500, 'must be at most 500 characters'),
  })
  .strict();
export type ShopVariableInput = z.input<typeof ShopVariableInput>;

export type ShopVariable = {
  name: string;
  description: string;
  sampleValue: string;
  defaultValue: string;
  updatedAt: string;
  updatedBy: string;
};

const view = (r: TemplateVariable): ShopVariable => ({
  name: r.name,
  description: r.description,
  sampleValue: r.sampleValue,
  defaultValue: r.defaultValue,
  updatedAt: r.updatedAt.toISOString(),
  updatedBy: r.updatedBy,
});

/** Every shop variable, by name. */
export async function listShopVariables(ctx: Pick<Deps, 'db'>): Promise<ShopVariable[]> {
  return (await ctx.db.select().from(templateVariables).orderBy(asc(templateVariables.name))).map(view);
}

/**
 * Adds or changes a shop variable (`by` is recorded).
 * @throws AppError VALIDATION for a bad field, or CONFLICT when the sender or a template already uses the name.
 */
export async function saveShopVariable(
  ctx: Pick<Deps, 'db' | 'clock'>,
  input: { by: string; variable: unknown },
): Promise<ShopVariable> {
  const parsed = ShopVariableInput.safeParse(input.variable);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The variable is not valid.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const v = parsed.data;
  if ((SENDER_VARIABLES as readonly string[]).includes(v.name) || (await templateDeclares(ctx, v.name))) {
    throw new AppError(
      'CONFLICT',
      `{{${v.name}}} already has a meaning (the sender or a template fills it); choose another name.`,
      {
        details: [{ path: 'name', message: 'already used' }],
      },
    );
  }
  const row = { ...v, updatedAt: ctx.clock.now(), updatedBy: input.by };
  const [saved] = await ctx.db
    .insert(templateVariables)
    .values(row)
    .onConflictDoUpdate({ target: templateVariables.name, set: row })
    .returning();
  return view(saved!);
}

/** Removes a shop variable; templates that still use it then fail their checks (undeclared). @throws NOT_FOUND. */
export async function deleteShopVariable(ctx: Pick<Deps, 'db'>, input: { name: string }): Promise<void> {
  const gone = await ctx.db
    .delete(templateVariables)
    .where(eq(templateVariables.name, input.name))
    .returning({ name: templateVariables.name });
  if (gone.length === 0) throw new AppError('NOT_FOUND', `No variable {{${input.name}}}.`);
}

/** Whether any stored template version declares `name` (jsonb key test on `variables`). */
async function templateDeclares(ctx: Pick<Deps, 'db'>, name: string): Promise<boolean> {
  const [hit] = await ctx.db
    .select({ id: templates.id })
    .from(templates)
    .where(sql`${templates.variables} ? ${name}`)
    .limit(1);
  return hit !== undefined;
}

/** Declarations for the checks and the preview: `{ name: { description, example: sampleValue } }`. */
export async function shopVariableDeclarations(
  ctx: Pick<Deps, 'db'>,
): Promise<Record<string, { description: string; example: string }>> {
  const out: Record<string, { description: string; example: string }> = {};
  for (const v of await ctx.db.select().from(templateVariables))
    out[v.name] = { description: v.description || 'Shop variable', example: v.sampleValue };
  return out;
}

/** What the sender fills in: `{ name: defaultValue }`. */
export async function shopVariableDefaults(ctx: Pick<Deps, 'db'>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const v of await ctx.db
    .select({ name: templateVariables.name, value: templateVariables.defaultValue })
    .from(templateVariables))
    out[v.name] = v.value;
  return out;
}
