/**
 * The layers of src/, lowest first. A module may import from its own layer and the layers below it,
 * never from one above — type-only imports included (`tsPreCompilationDeps: true`): a type import
 * upward is the same knot for a reader as a value import, even though the compiler erases it.
 *
 *   base     config, errors, clock, log (+ log-redact, secret, load-config-or-exit)
 *   mail     rendering, transports, headers
 *   db       client, schema, migrations, group commit; deps.ts (the Deps type) and metrics/ sit here
 *   ledger   the `deliveries` table only: kinds, enqueue, claim, record outcomes, leases
 *   runtime  process state only: lifecycle/draining, wake-ups, render pool and cache
 *   domain   one verb per file, grouped by feature
 *   sending  the send loop: compose, attempt, frames, outcomes, sender lanes, gate, breaker
 *   jobs     the scheduler and one plain function per job
 *   http     the app, routes, pages, console, widget
 *   main     entry files at the top of src/ (main.ts, worker.ts, seed.ts, admin-create.ts, …)
 *
 * `npm run lint:layers` runs this; `.ci/run` fails on any violation and prints it. A new top-level
 * folder must be added to LAYERS below (a module in no layer fails `layer-unknown`).
 */
const LAYERS = [
  ['base', ['^src/(config|errors|clock|log|log-redact|secret|load-config-or-exit)\\.ts$']],
  ['mail', ['^src/mail/']],
  // metrics/ sits beside db/: both may use each other's level, neither may reach jobs, domain or http.
  ['db', ['^src/db/', '^src/deps\\.ts$', '^src/metrics/']],
  ['ledger', ['^src/ledger/']],
  ['runtime', ['^src/runtime/']],
  ['domain', ['^src/domain/']],
  ['sending', ['^src/sending/']],
  ['jobs', ['^src/jobs/']],
  ['http', ['^src/http/']],
  // Entry files: anything else directly in src/ (main.ts, worker.ts, seed.ts, admin-create.ts, startup-notes.ts).
  ['main', ['^src/[^/]+\\.tsx?$']],
];

const pathsOf = (layers) => layers.flatMap(([, paths]) => paths);

/** One rule per layer: nothing in it imports from any layer above it. */
const upward = LAYERS.slice(0, -1).map(([name, paths], i) => ({
  name: `layer-${name}`,
  comment: `${name} imports only from ${LAYERS.slice(0, i + 1)
    .map(([n]) => n)
    .join(', ')}`,
  severity: 'error',
  from: { path: paths, pathNot: pathsOf(LAYERS.slice(0, i)) },
  to: { path: pathsOf(LAYERS.slice(i + 1)), pathNot: pathsOf(LAYERS.slice(0, i + 1)) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'layer-unknown',
      comment: 'every module in src/ belongs to a layer (add a new folder to LAYERS in .dependency-cruiser.cjs)',
      severity: 'error',
      from: { path: '^src/', pathNot: pathsOf(LAYERS) },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'no import cycles, type-only imports included',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing is a typo or a missing dependency',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    includeOnly: '^src/',
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
