import { bigserial, boolean, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['admin', 'marketing']);
export type UserRole = (typeof userRole.enumValues)[number];

/**
 * Console users (staff, not shoppers). `admin` may do everything `marketing` may, plus users,
 * subscriber export/erase and suppressions. A disabled user cannot log in and loses every session.
 */
export const users = pgTable(
  'users',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Lower-cased: the login compares this column only. */
    email: text('email').notNull(),
    /** `scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>` (see domain/users/password.ts). */
    passwordHash: text('password_hash').notNull(),
    role: userRole('role').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
