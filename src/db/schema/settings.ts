import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Operating settings marketing staff change in the console (`/admin/settings`), one row per setting
 * that was set. No row = the environment's default applies. Every instance reads these rows (see
 * domain/settings/effective-settings.ts), so a change needs no restart anywhere.
 */
export const appSettings = pgTable('app_settings', {
  /** A key of `SettingsValues` (`notifyPerUnit`, `doubleOptIn`, …). */
  key: text('key').primaryKey(),
  /** The JSON value: a number, a boolean or `"auto"`. */
  value: jsonb('value').$type<unknown>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: text('updated_by').notNull(),
});

/**
 * One row per changed setting per save: who, when, old → new (null = the environment default). Kept
 * forever: it is small and it is the record of why the shop behaved as it did on a given day.
 */
export const appSettingsAudit = pgTable(
  'app_settings_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    oldValue: jsonb('old_value').$type<unknown>(),
    newValue: jsonb('new_value').$type<unknown>(),
    changedBy: text('changed_by').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('app_settings_audit_changed_at_idx').on(t.changedAt)],
);

export type AppSetting = typeof appSettings.$inferSelect;
export type AppSettingsAudit = typeof appSettingsAudit.$inferSelect;
