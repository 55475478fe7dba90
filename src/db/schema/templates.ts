import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const templateStatus = pgEnum('template_status', ['draft', 'published']);

/**
 * Email templates, versioned. A version is immutable once written; editing means a new version.
 * The version in use for (key, locale) is the highest `published` one, so publishing and rolling back
 * are both "publish a version" and history is never rewritten. Locale `default` serves every
 * recipient without a more specific version.
 */
export const templates = pgTable(
  'templates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    locale: text('locale').notNull().default('default'),
    version: integer('version').notNull(),
    /** Handlebars, like the body: `{{productName}} is back`. */
    subject: text('subject').notNull(),
    /** Self-contained MJML (partials are expanded when a file is seeded). */
    mjml: text('mjml').notNull(),
    /** Declared variables: `{ name: { description, example } }` (the console previews with the examples). */
    variables: jsonb('variables')
      .$type<Record<string, { description: string; example?: unknown }>>()
      .notNull()
      .default({}),
    status: templateStatus('status').notNull().default('draft'),
    /** `file` when seeded from templates/, `console` when saved by a person. */
    source: text('source').notNull().default('console'),
    /** sha256 of the seeded file content (after partial expansion): the seed never inserts the same content twice. */
    sourceHash: text('source_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** Who wrote this version: a console user's email, `token:<scope>` for API calls, null for seeded files. */
    createdBy: text('created_by'),
    publishedBy: text('published_by'),
    /**
     * Key `pages` only: the hosted pages' copy of one locale, a flat `{ "signup.submit": "Notify me" }`
     * catalogue (subject and mjml are empty). Versioned, published and rolled back like an email.
     */
    messages: jsonb('messages').$type<Record<string, string>>(),
    /** Set on a rollback: the version this one is a copy of. */
    copiedFrom: integer('copied_from'),
    /** Last change of a draft (drafts are saved in place until published; published versions never change). */
    updatedAt: timestamp('updated_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('templates_key_locale_version_uq').on(t.key, t.locale, t.version),
    index('templates_key_locale_status_idx').on(t.key, t.locale, t.status, t.version),
  ],
);

export type Template = typeof templates.$inferSelect;
export type NewTemplate = typeof templates.$inferInsert;
