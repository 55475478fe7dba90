import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from './config.js';

/**
 * Returns the config with an APP_SECRET: the configured one, or (outside production, where
 * `loadConfig` already demands one) a random secret generated on first start and kept in `file` so
 * tokens in already-sent emails stay valid across restarts.
 */
export function ensureAppSecret(config: Config, file: string): Config & { appSecret: string } {
  if (config.appSecret) return { ...config, appSecret: config.appSecret };
  let secret: string | undefined;
  try {
    secret = readFileSync(file, 'utf8').trim();
  } catch {
    secret = undefined;
  }
  if (!secret || secret.length < 32) {
    secret = randomBytes(32).toString('base64url');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  }
  return { ...config, appSecret: secret };
}
