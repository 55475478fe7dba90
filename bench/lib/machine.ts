import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresDetails } from './scratch-db.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The packages whose versions decide the figures. Installed versions, read from node_modules. */
const PACKAGES = [
  'hono',
  '@hono/node-server',
  '@hono/zod-openapi',
  'drizzle-orm',
  'postgres',
  'pino',
  'nodemailer',
  'smtp-server',
  'mjml',
  'handlebars',
  'html-to-text',
  'autocannon',
  'tsx',
];

export type MachineDetails = {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  os: string;
  postgres: Record<string, string>;
  packages: Record<string, string>;
  gitCommit?: string;
  date: string;
};

export async function machineDetails(databaseUrl: string): Promise<MachineDetails> {
  const packages: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      // Read the file directly: packages with an `exports` map refuse `require.resolve('x/package.json')`.
      packages[name] = (
        JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
      ).version;
    } catch {
      packages[name] = '?';
    }
  }
  let gitCommit: string | undefined;
  try {
    gitCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    gitCommit = undefined;
  }
  let osName = `${process.platform} ${process.arch}`;
  try {
    const pretty = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) osName = `${pretty} (${process.arch})`;
  } catch {
    // not Linux
  }
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? '?',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: osName,
    postgres: await postgresDetails(databaseUrl),
    packages,
    gitCommit,
    date: new Date().toISOString(),
  };
}
