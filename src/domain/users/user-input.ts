import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.js';

export const Role = z.enum(['admin', 'marketing']);
export type Role = z.infer<typeof Role>;

const UserEmail = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((e) => e.toLowerCase());

const Password = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

/** Without `password` one is generated and answered once (the console shows it to the admin to pass on). */
export const NewUserInput = z.object({ email: UserEmail, password: Password.optional(), role: Role });
export type NewUserInput = z.infer<typeof NewUserInput>;

export const UserPatch = z.object({
  role: Role.optional(),
  disabled: z.boolean().optional(),
  password: Password.optional(),
  /** Set a new random password and answer it once (instead of `password`). */
  generatePassword: z.boolean().optional(),
});
export type UserPatch = z.infer<typeof UserPatch>;

/** What the API shows of a user (never the hash). */
export type PublicUser = {
  id: number;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
};

/** 15 random bytes as base64url: 20 characters, 120 bits — above the password rules, easy to paste. */
export const generatePassword = () => randomBytes(15).toString('base64url');

export function toPublicUser(u: {
  id: number;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
}): PublicUser {
  return {
    id: u.id,
    email: u.email,
    role: u.role,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  };
}
