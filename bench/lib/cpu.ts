import { readdirSync, readFileSync } from 'node:fs';

/**
 * Who used the CPU during a measurement. Reads /proc (Linux): per-process utime+stime, the
 * postmaster's reaped-children time (backends that exited), and the machine total, so the report
 * can say which party was near a full core — the load generator, the sink, the service or PostgreSQL.
 */
const TICK_MS = 10; // CLK_TCK is 100 on Linux x86_64 and arm64.

type ProcTimes = { own: number; children: number; comm: string; ppid: number };

function readStat(pid: number | string): ProcTimes | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may contain spaces: split after the last ')'.
    const close = raw.lastIndexOf(')');
    const comm = raw.slice(raw.indexOf('(') + 1, close);
    const f = raw.slice(close + 2).split(' ');
    // Fields after comm start at index 0 = state (field 3). utime=14, stime=15, cutime=16, cstime=17, ppid=4.
    const n = (i: number) => Number(f[i - 3]);
    return { own: (n(14) + n(15)) * TICK_MS, children: (n(16) + n(17)) * TICK_MS, comm, ppid: n(4) };
  } catch {
    return undefined;
  }
}

function postgresMs(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(entry);
    if (!s || !s.comm.startsWith('postgres')) continue;
    total += s.own;
    // Only the postmaster's reaped-children time: it holds the CPU of backends that already exited.
    const parent = readStat(s.ppid);
    if (!parent || !parent.comm.startsWith('postgres')) total += s.children;
  }
  return total;
}

function machineMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
}

export type CpuSnapshot = {
  at: number;
  pids: Record<string, number>;
  harness: number;
  postgres: number;
  machine: { busy: number; total: number };
};

/** `parties` maps a label to a pid (child processes of the harness). */
export function snapshotCpu(parties: Record<string, number>): CpuSnapshot {
  const pids: Record<string, number> = {};
  for (const [label, pid] of Object.entries(parties)) pids[label] = readStat(pid)?.own ?? 0;
  const u = process.cpuUsage();
  let pg = 0;
  let machine = { busy: 0, total: 0 };
  try {
    pg = postgresMs();
    machine = machineMs();
  } catch {
    // Not Linux (no /proc): the report simply lacks the split.
  }
  return { at: performance.now(), pids, harness: (u.user + u.system) / 1000, postgres: pg, machine };
}

/** Cores used by each party between two snapshots (1.0 = one full core). */
export function coresUsed(a: CpuSnapshot, b: CpuSnapshot): Record<string, number> {
  const wall = b.at - a.at;
  if (wall <= 0) return {};
  const r = (ms: number) => Math.round((ms / wall) * 100) / 100;
  const out: Record<string, number> = {};
  for (const label of Object.keys(b.pids)) out[label] = r((b.pids[label] ?? 0) - (a.pids[label] ?? 0));
  out.harness = r(b.harness - a.harness);
  out.postgres = r(b.postgres - a.postgres);
  // The machine total includes other users of the box: compare to the sum above to spot noise.
  out.machine = r(b.machine.busy - a.machine.busy);
  return out;
}
