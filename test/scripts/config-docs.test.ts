import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configurationMarkdown } from '../../scripts/config-docs.js';
import { EnvSchema, loadConfig } from '../../src/config.js';

// docs/configuration.md is generated from src/config.ts; CI also diffs a fresh copy against the file.
describe('configuration docs', () => {
  const markdown = configurationMarkdown();
  const rows = new Map(
    markdown
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => [line.slice(3, line.indexOf('`', 3)), line.split(' | ')] as const),
  );

  it('lists every setting of the schema once, with a meaning', () => {
    expect([...rows.keys()]).toEqual(Object.keys(EnvSchema.shape));
    for (const [name, cells] of rows) expect(cells[3]?.length, name).toBeGreaterThan(3);
  });

  it('shows each default as loadConfig applies it (a table that lies about a default fails here)', () => {
    const config = loadConfig({});
    expect(rows.get('PORT')?.[1]).toBe(`\`${config.port}\``);
    expect(rows.get('SEND_CRON')?.[1]).toBe(`\`${config.cron.send}\``);
    expect(rows.get('DELAY_POLICY')?.[1]).toBe(`\`${config.backorders.delayPolicy}\``);
    expect(rows.get('DOUBLE_OPT_IN')?.slice(1, 3)).toEqual(['`true`', '`true`, `false`']);
    expect(rows.get('DATABASE_URL')?.[1]).toBe('unset');
    expect(rows.get('API_TOKENS')?.[1]).toBe('empty');
    expect(rows.get('DATABASE_POOL_SIZE')?.[2]).toBe('integer 1–500');
  });

  it('is the committed docs/configuration.md', () => {
    expect(readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')).toBe(markdown);
  });
});
