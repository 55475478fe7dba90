import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.js';

/** Where a generated APP_SECRET is kept outside production (relative to the working directory). */
const APP_SECRET_FILE = join('data', 'app-secret');

/**
 * THE config loader of every entry point (main/worker, seed, admin:create, db:migrate): `loadConfig`
 * (pure) on the environment; every problem printed and exit code 1 when it fails; then the APP_SECRET —
 * the configured one, or (outside production, where `loadConfig` already demands one) a random secret
 * generated on first start and kept in `secretFile` so tokens in already-sent emails stay valid across
 * restarts.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv, secretFile = APP_SECRET_FILE): Config & { appSecret: string } {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  return { ...config, appSecret: config.appSecret || storedSecret(secretFile) };
}

/** The secret kept in `file`, created (32 random bytes, mode 0600) when missing or too short. */
function storedSecret(file: string): string {
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
  return secret;
}
