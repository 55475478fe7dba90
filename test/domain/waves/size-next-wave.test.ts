import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { sizeNextWave, type EarlierWave, type WaveSizing } from '../../../src/domain/waves/size-next-wave.js';

/**
 * NOTIFY_PER_UNIT=auto (issue 22 point 4): next = clamp(ceil(units left ÷ max(observed rate, floor)),
 * min, max), never more than the waiting list, starting from the configured ratio. Pure rule; the
 * clock decides which purchases have been seen.
 */
const sizing: WaveSizing = { startPerUnit: 1, rateFloor: 0.02, minWave: 5, maxWave: 5000 };
const clock = new ManualClock('2026-03-01T12:00:00Z');
const minutesAgo = (m: number) => ({ placedAt: new Date(clock.now().getTime() - m * 60_000) });
const wave = (waveNo: number, notified: number, buyers: number): EarlierWave => ({
  waveNo,
  notified,
  purchases: Array.from({ length: buyers }, (_, i) => minutesAgo(10 + i)),
});

describe('sizeNextWave', () => {
  // The table in the closing note of issue 22: inputs → wave size.
  const table: [
    string,
    { waveNo: number; unitsLeft: number; waiting: number; earlier: EarlierWave[]; sizing?: Partial<WaveSizing> },
    number,
    string,
  ][] = [
    [
      'wave 1 starts from the configured ratio (1 per unit)',
      { waveNo: 1, unitsLeft: 12, waiting: 200, earlier: [] },
      12,
      'wave 1: 12 people, 1 per unit for 12 units left, no sales seen yet',
    ],
    [
      'wave 1 with ratio 2.5',
      { waveNo: 1, unitsLeft: 12, waiting: 200, earlier: [], sizing: { startPerUnit: 2.5 } },
      30,
      'wave 1: 30 people, 2.5 per unit for 12 units left, no sales seen yet',
    ],
    [
      '1 in 4 bought, 10 units left → 40',
      { waveNo: 2, unitsLeft: 10, waiting: 188, earlier: [wave(1, 12, 3)] },
      40,
      'wave 2: 40 people, because 3 of 12 bought in wave 1 (1 in 4), 10 units left',
    ],
    [
      'two earlier waves pooled: 11 of 52, 2 units left',
      { waveNo: 3, unitsLeft: 2, waiting: 148, earlier: [wave(1, 12, 3), wave(2, 40, 8)] },
      10,
      'wave 3: 10 people, because 11 of 52 bought in waves 1–2 (1 in 4.7), 2 units left',
    ],
    [
      'nobody bought: the floor (1 in 50)',
      { waveNo: 2, unitsLeft: 10, waiting: 988, earlier: [wave(1, 12, 0)] },
      500,
      'wave 2: 500 people, because nobody of 12 bought in wave 1, read as 1 in 50, 10 units left',
    ],
    [
      'half bought, 1 unit left: raised to the minimum',
      { waveNo: 2, unitsLeft: 1, waiting: 90, earlier: [wave(1, 12, 6)] },
      5,
      'wave 2: 5 people, because 6 of 12 bought in wave 1 (1 in 2), 1 unit left; raised to the smallest wave, 5',
    ],
    [
      '500 units and no buyers: capped at the maximum',
      { waveNo: 2, unitsLeft: 500, waiting: 90_000, earlier: [wave(1, 100, 0)] },
      5000,
      'wave 2: 5000 people, because nobody of 100 bought in wave 1, read as 1 in 50, 500 units left; capped at the largest wave, 5000',
    ],
    [
      'never more than the waiting list',
      { waveNo: 2, unitsLeft: 10, waiting: 30, earlier: [wave(1, 12, 3)] },
      30,
      'wave 2: 30 people, because 3 of 12 bought in wave 1 (1 in 4), 10 units left; only 30 waiting',
    ],
    [
      'ratio 0 = everyone waiting',
      { waveNo: 1, unitsLeft: 3, waiting: 77, earlier: [], sizing: { startPerUnit: 0 } },
      77,
      'wave 1: 77 people, everyone waiting (3 units left)',
    ],
    [
      'no units left: nobody',
      { waveNo: 2, unitsLeft: 0, waiting: 50, earlier: [wave(1, 12, 3)] },
      0,
      'wave 2: nobody, no units left',
    ],
  ];

  it.each(table)('%s', (_name, input, size, explanation) => {
    const next = sizeNextWave({ ...input, now: clock.now(), sizing: { ...sizing, ...input.sizing } });
    expect(next.size).toBe(size);
    expect(next.explanation).toBe(explanation);
  });

  it('counts only the purchases placed by now: the same waves size differently as the clock moves', () => {
    const c = new ManualClock('2026-03-01T12:00:00Z');
    const at = (m: number) => ({ placedAt: new Date(Date.parse('2026-03-01T12:00:00Z') + m * 60_000) });
    // Wave 1 reached 12 people; three of them will have bought 5, 20 and 50 minutes from now.
    const earlier: EarlierWave[] = [{ waveNo: 1, notified: 12, purchases: [at(5), at(20), at(50)] }];
    const size = () => sizeNextWave({ waveNo: 2, unitsLeft: 6, waiting: 1000, earlier, now: c.now(), sizing }).size;
    expect(size()).toBe(300); // nobody yet: 6 ÷ 0.02
    c.advance(10 * 60_000);
    expect(size()).toBe(72); // 1 of 12: 6 × 12
    c.advance(15 * 60_000);
    expect(size()).toBe(36); // 2 of 12
    c.advance(60 * 60_000);
    expect(size()).toBe(24); // 3 of 12 = 1 in 4
  });

  it('the observed rate is exact for whole ratios (no float rounding up a wave by one)', () => {
    // 7 of 49 bought (1 in 7), 7 units left → exactly 49, not 50.
    const next = sizeNextWave({
      waveNo: 2,
      unitsLeft: 7,
      waiting: 1000,
      earlier: [wave(1, 49, 7)],
      now: clock.now(),
      sizing,
    });
    expect(next).toMatchObject({ size: 49, rate: 7 / 49 });
  });
});
