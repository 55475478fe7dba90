import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Variables marketing staff declare for their own templates (`{{supportPhone}}`, `{{promoLine}}`):
 * usable in every email; the preview fills `sample_value`, the sender `default_value`. A name not
 * declared here (or by the template, or by the sender) still blocks publishing.
 */
export const templateVariables = pgTable('template_variables', {
  name: text('name').primaryKey(),
  description: text('description').notNull().default(''),
  sampleValue: text('sample_value').notNull(),
  defaultValue: text('default_value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: text('updated_by').notNull(),
});

export type TemplateVariable = typeof templateVariables.$inferSelect;
