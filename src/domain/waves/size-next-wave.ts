/**
 * NOTIFY_PER_UNIT=auto: how many people the next wave of a restock notifies, learned from what the
 * earlier waves of the same restock sold.
 *
 * Contract (pure, no I/O; `now` comes from the caller's clock):
 * - Observed rate = buyers ÷ notified over the earlier waves, where buyers are the distinct orders
 *   attributed to those waves' emails placed by `now`.
 * - No earlier wave reached anyone (wave 1): ceil(units left × startPerUnit) — the configured ratio
 *   (0 = everybody waiting).
 * - Otherwise: ceil(units left ÷ max(observed rate, rateFloor)) — a wave where 1 in 4 bought and
 *   10 units are left notifies 40; nobody buying is read as the floor rate, never as "notify no one".
 * - Then clamped to [minWave, maxWave] and never more than the people still waiting; no units left
 *   → 0 (the event ends anyway when stock drops below the threshold).
 * Every result carries a one-line explanation for the console.
 */
export type WaveSizing = { startPerUnit: number; rateFloor: number; minWave: number; maxWave: number };
export type EarlierWave = { waveNo: number; notified: number; purchases: { placedAt: Date }[] };
export type NextWaveInput = {
  waveNo: number;
  unitsLeft: number;
  waiting: number;
  earlier: EarlierWave[];
  now: Date;
  sizing: WaveSizing;
};
export type NextWave = { size: number; rate: number | null; explanation: string };

export function sizeNextWave(input: NextWaveInput): NextWave {
  const { waveNo, unitsLeft, waiting, sizing } = input;
  const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;
  const units = `${unitsLeft} unit${unitsLeft === 1 ? '' : 's'} left`;
  if (unitsLeft <= 0 || waiting <= 0) {
    return {
      size: 0,
      rate: null,
      explanation: `wave ${waveNo}: nobody, ${unitsLeft <= 0 ? 'no units left' : 'nobody is waiting'}`,
    };
  }
  const notified = input.earlier.reduce((s, w) => s + w.notified, 0);
  const buyers = input.earlier.reduce(
    (s, w) => s + w.purchases.filter((p) => p.placedAt.getTime() <= input.now.getTime()).length,
    0,
  );
  const waves = input.earlier.filter((w) => w.notified > 0).map((w) => w.waveNo);
  const named = waves.length === 1 ? `wave ${waves[0]}` : `waves ${waves[0]}–${waves[waves.length - 1]}`;
  let raw: number;
  let rate: number | null = null;
  let because: string;
  if (notified === 0) {
    raw = sizing.startPerUnit === 0 ? waiting : Math.ceil(unitsLeft * sizing.startPerUnit - 1e-9);
    because =
      sizing.startPerUnit === 0
        ? `everyone waiting (${units})`
        : `${fmt(sizing.startPerUnit)} per unit for ${units}, no sales seen yet`;
  } else {
    rate = buyers / notified;
    if (rate >= sizing.rateFloor) {
      // Integer arithmetic where it can be: units × notified ÷ buyers, rounded up.
      raw = Math.ceil((unitsLeft * notified) / buyers - 1e-9);
      because = `because ${buyers} of ${notified} bought in ${named} (1 in ${fmt(notified / buyers)}), ${units}`;
    } else {
      raw = Math.ceil(unitsLeft / sizing.rateFloor - 1e-9);
      because = `because ${buyers === 0 ? 'nobody' : `only ${buyers}`} of ${notified} bought in ${named}, read as 1 in ${fmt(1 / sizing.rateFloor)}, ${units}`;
    }
  }
  let size = Math.min(Math.max(raw, sizing.minWave), sizing.maxWave);
  const notes: string[] = [];
  if (size > raw) notes.push(`raised to the smallest wave, ${sizing.minWave}`);
  if (size < raw) notes.push(`capped at the largest wave, ${sizing.maxWave}`);
  if (size > waiting) {
    size = waiting;
    notes.push(`only ${waiting} waiting`);
  }
  return {
    size,
    rate,
    explanation: `wave ${waveNo}: ${people(size)}, ${because}${notes.length ? `; ${notes.join('; ')}` : ''}`,
  };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, ''));
