/**
 * Entry point of a worker process: `npm run worker` (= ROLE=worker; the script starts node with the
 * worker's V8 heap bounds, see package.json). A worker's live heap is ≈ 40 MB, but without bounds V8
 * lets garbage grow the heap with the length of a wave (275 MB peak RSS over a 20k wave); with
 * `--max-old-space-size=160 --max-semi-space-size=4` it stays flat. The bounds live in the start
 * command because V8 reads them only when the process starts.
 */
process.env.ROLE = 'worker';
await import('./main.js');
