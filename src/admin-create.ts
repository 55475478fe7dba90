import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { systemClock } from './clock.js';
import { loadConfigOrExit } from './load-config-or-exit.js';
import { createDatabase } from './db/client.js';
import { migrateDatabase } from './db/migrate.js';
import { createUser } from './domain/users/create-user.js';
import { isAppError } from './errors.js';

/**
 * `npm run admin:create [-- --email a@b --password … --role admin|marketing]`: creates a console
 * user; asks for what the flags leave out (the password without echo). Role defaults to admin.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string', default: 'admin' } },
  });
  const config = loadConfigOrExit(process.env);
  const email = values.email ?? (await ask('Email: '));
  const password = values.password ?? (await ask('Password (10+ characters): ', true));
  const database = await createDatabase(config.database);
  try {
    await migrateDatabase(database);
    const user = await createUser({ db: database.db, clock: systemClock }, { email, password, role: values.role });
    console.log(`Created ${user.role} user #${user.id} (${user.email}). Log in at ${config.publicBaseUrl}/admin/login`);
  } catch (err) {
    if (!isAppError(err)) throw err;
    const details = Array.isArray(err.details)
      ? (err.details as { path: string; message: string }[]).map((d) => `\n  ${d.path}: ${d.message}`).join('')
      : '';
    console.error(`${err.message}${details}`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

async function ask(question: string, secret = false): Promise<string> {
  if (!process.stdin.isTTY) {
    console.error(
      `Missing ${question
        .replace(/[:(].*$/, '')
        .trim()
        .toLowerCase()}: pass --email/--password when not on a terminal.`,
    );
    process.exit(1);
  }
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stdout.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const answer = rl.question(question);
  muted = secret;
  const value = await answer;
  rl.close();
  if (secret) process.stdout.write('\n');
  return value.trim();
}

await main();
