import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineDetails } from './machine.js';
import type { BenchRow } from './types.js';

const header = ['benchmark', 'figure', 'bound', 'ratio', 'goal', 'met?'];

function cells(r: BenchRow): string[] {
  return [
    r.name,
    r.figure,
    r.bound,
    r.ratio === null ? '—' : r.ratio.toFixed(2),
    r.goal,
    r.met === null ? 'n/a' : r.met ? 'yes' : 'NO',
  ];
}

/** The plain-text table printed to stdout. */
export function textTable(rows: BenchRow[]): string {
  const all = [header, ...rows.map(cells)];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map((r) => line(cells(r)))].join('\n');
}

/** The same table as GitHub markdown, plus machine details, for docs/benchmarks.md. */
function markdownReport(rows: BenchRow[], machine: MachineDetails, settings: Record<string, string>): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `Run ${machine.date}${machine.gitCommit ? ` at commit \`${machine.gitCommit}\`` : ''}.`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
    '',
    '**Machine**',
    '',
    `- ${machine.cores} cores, ${machine.cpuModel}, ${machine.memoryGb} GB RAM, ${machine.os}`,
    `- Node ${machine.node}; ${machine.postgres.version ?? 'PostgreSQL ?'}`,
    `- PostgreSQL settings: ${Object.entries(machine.postgres)
      .filter(([k]) => k !== 'version')
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    `- Packages: ${Object.entries(machine.packages)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `- Settings: ${Object.entries(settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    '',
    '**Details (raw figures; cores used per party during each measurement)**',
    '',
    ...rows.flatMap((r) => [`- \`${r.name}\`: \`${JSON.stringify(r.details)}\``]),
    '',
  ];
  return lines.join('\n');
}

/** Writes `bench/results/latest.{json,md}` (git-ignored); returns the directory. */
export function writeResults(
  dir: string,
  rows: BenchRow[],
  machine: MachineDetails,
  settings: Record<string, string>,
): string {
  mkdirSync(dir, { recursive: true });
  const md = markdownReport(rows, machine, settings);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ machine, settings, rows }, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), md);
  return md;
}
