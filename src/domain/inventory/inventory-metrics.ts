import type { ChangeOutcome } from './apply-inventory-changes.js';
import type { Metrics } from '../../metrics/metrics.js';

type Counts = { created: number; updated: number; unchanged: number; rejected: number };

/** A change's outcome as a metric label: created and updated rows were both applied. */
export const inventoryResult = (o: ChangeOutcome) => (o === 'created' || o === 'updated' ? 'applied' : o);

/** Counts a bulk or feed batch's rows by result. */
export function countBatch(metrics: Metrics, source: string, s: Counts): void {
  metrics.inventoryUpdates.inc({ source, result: 'applied' }, s.created + s.updated);
  metrics.inventoryUpdates.inc({ source, result: 'unchanged' }, s.unchanged);
  metrics.inventoryUpdates.inc({ source, result: 'rejected' }, s.rejected);
}

/** Counts a webhook delivery's changes (a replayed delivery counts once, as `duplicate`). */
export function countChanges(
  metrics: Metrics,
  source: string,
  r: { duplicate: boolean; results: { outcome: ChangeOutcome }[] },
): void {
  if (r.duplicate) metrics.inventoryUpdates.inc({ source, result: 'duplicate' });
  for (const x of r.results) metrics.inventoryUpdates.inc({ source, result: inventoryResult(x.outcome) });
}
