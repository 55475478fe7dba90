/**
 * Generates docs/configuration.md from src/config.ts: every setting of `EnvSchema` with its default,
 * its allowed values (read from the schema) and its meaning (the schema's `.describe(…)`).
 *
 *   npm run docs:config                                writes docs/configuration.md
 *   tsx scripts/config-docs.ts --out /tmp/x.md         writes elsewhere (CI diffs that against the file)
 *
 * A setting without a description is an error: the meaning lives next to the schema or nowhere.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { EnvSchema } from '../src/config.js';

type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  defaultValue?: unknown;
  entries?: Record<string, string>;
};
type Node = z.ZodType & { _zod: { def: Def }; minValue?: number | null; maxValue?: number | null; isInt?: boolean };

/** Walks wrappers (default, pipe, optional) down to the innermost input type, noting the default on the way. */
function inspect(schema: z.ZodType): { fallback: unknown; base: Node } {
  let node = schema as Node;
  let fallback: unknown;
  for (;;) {
    const def = node._zod.def;
    if (def.type === 'default' && def.innerType) {
      if (fallback === undefined) fallback = def.defaultValue;
      node = def.innerType as Node;
    } else if ((def.type === 'optional' || def.type === 'nullable') && def.innerType) {
      node = def.innerType as Node;
    } else if (def.type === 'pipe' && def.in) {
      node = def.in as Node;
    } else {
      return { fallback, base: node };
    }
  }
}

const BOOLEAN_WORDS = ['true', 'false', '1', '0', 'yes', 'no'];
const SAFE_MAX = Number.MAX_SAFE_INTEGER;

function values(base: Node): string {
  const def = base._zod.def;
  if (def.type === 'enum' && def.entries) {
    const options = Object.values(def.entries);
    if (options.length === BOOLEAN_WORDS.length && options.every((o) => BOOLEAN_WORDS.includes(o))) {
      return '`true`, `false`';
    }
    return options.map((o) => `\`${o}\``).join(', ');
  }
  if (def.type === 'number') {
    const kind = base.isInt ? 'integer' : 'number';
    const min = base.minValue ?? undefined;
    const max = base.maxValue != null && base.maxValue < SAFE_MAX ? base.maxValue : undefined;
    if (min !== undefined && max !== undefined) return `${kind} ${min}–${max}`;
    if (min !== undefined && Number.isFinite(min) && min > Number.MIN_SAFE_INTEGER) return `${kind} ≥ ${min}`;
    return kind;
  }
  return '';
}

function shownDefault(fallback: unknown): string {
  if (fallback === undefined) return 'unset';
  if (fallback === '') return 'empty';
  return `\`${String(fallback)}\``;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function configurationMarkdown(): string {
  const rows: string[] = [];
  const missing: string[] = [];
  for (const [name, schema] of Object.entries(EnvSchema.shape) as [string, z.ZodType][]) {
    const meaning = schema.description;
    if (!meaning) missing.push(name);
    const { fallback, base } = inspect(schema);
    rows.push(`| \`${name}\` | ${cell(shownDefault(fallback))} | ${cell(values(base))} | ${cell(meaning ?? '')} |`);
  }
  if (missing.length > 0) {
    throw new Error(`src/config.ts: no .describe(…) on ${missing.join(', ')} — add the meaning next to the schema`);
  }
  return `# Configuration

<!-- Generated from src/config.ts by \`npm run docs:config\`; edit the \`.describe(…)\` there, not this file. -->

Everything is configured through environment variables, read once at start-up by \`loadConfig\`
(\`src/config.ts\`). Invalid values stop the service with a list of every problem at once. Some settings
go together: \`ADMIN_EMAIL\` and \`ADMIN_PASSWORD\` both or neither; \`DKIM_DOMAIN\`, \`DKIM_SELECTOR\` and
\`DKIM_PRIVATE_KEY\` all three or none; a webhook URL needs \`WEBHOOK_SIGNING_SECRET\`; \`NODE_ENV=production\`
needs \`APP_SECRET\`. Booleans accept \`true\`/\`false\`, \`1\`/\`0\` and \`yes\`/\`no\`; schedules are 5- or
6-field cron expressions in the process's time zone (node-cron; a 6th leading field is seconds).

At start-up the service logs the useful URLs and warns once per missing production setting (no API
token, no \`SMTP_URL\` under \`NODE_ENV=production\`, \`PUBLIC_BASE_URL\` unset in production, a generated
\`APP_SECRET\`, PGlite with a split role or in production).

| variable | default | values | meaning |
|---|---|---|---|
${rows.join('\n')}
`;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const at = process.argv.indexOf('--out');
  const out = at > 0 ? process.argv[at + 1] : fileURLToPath(new URL('../docs/configuration.md', import.meta.url));
  if (!out) throw new Error('--out needs a file name');
  writeFileSync(out, configurationMarkdown());
}
