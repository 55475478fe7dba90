import { describe, expect, it } from 'vitest';
import { decideSignup } from '../../../src/domain/subscriptions/decide-signup.js';
import { isAppError } from '../../../src/errors.js';

const rules = { doubleOptIn: true, minQuantity: 1 };
const product = { name: 'Kettle', quantity: 0 };
const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return isAppError(err) ? err.code : String(err);
  }
  return 'no error';
};

describe('decideSignup (the one signup rule of both signup paths)', () => {
  it('unknown SKU and in-stock products are refused with their codes', () => {
    expect(code(() => decideSignup('X', undefined, false, undefined, rules))).toBe('UNKNOWN_SKU');
    expect(code(() => decideSignup('X', { name: 'Kettle', quantity: 1 }, false, undefined, rules))).toBe('IN_STOCK');
    expect(
      code(() => decideSignup('X', { name: 'Kettle', quantity: 4 }, false, undefined, { ...rules, minQuantity: 5 })),
    ).toBe('no error');
  });

  it('a new row is pending with confirmation under double opt-in or for a suppressed address, else active', () => {
    expect(decideSignup('X', product, false, undefined, rules)).toEqual({
      action: 'create',
      status: 'pending',
      needsConfirmation: true,
      productName: 'Kettle',
    });
    const off = { ...rules, doubleOptIn: false };
    expect(decideSignup('X', product, false, undefined, off)).toEqual({
      action: 'create',
      status: 'active',
      needsConfirmation: false,
      productName: 'Kettle',
    });
    expect(decideSignup('X', product, true, undefined, off)).toMatchObject({
      action: 'create',
      status: 'pending',
      needsConfirmation: true,
    });
  });

  it('existing rows: pending renews, active stays (unless suppressed), unsubscribed/notified re-arm', () => {
    expect(decideSignup('X', product, false, { status: 'pending' }, rules)).toMatchObject({
      action: 'renew',
      status: 'pending',
    });
    expect(decideSignup('X', product, false, { status: 'pending' }, { ...rules, doubleOptIn: false })).toMatchObject({
      action: 'renew',
      status: 'active',
      needsConfirmation: false,
    });
    expect(decideSignup('X', product, false, { status: 'active' }, rules)).toEqual({
      action: 'keep',
      productName: 'Kettle',
    });
    expect(decideSignup('X', product, true, { status: 'active' }, rules)).toMatchObject({
      action: 'renew',
      status: 'pending',
      needsConfirmation: true,
    });
    expect(decideSignup('X', product, false, { status: 'unsubscribed' }, rules)).toMatchObject({
      action: 'rearm',
      status: 'pending',
    });
    expect(decideSignup('X', product, false, { status: 'notified' }, { ...rules, doubleOptIn: false })).toMatchObject({
      action: 'rearm',
      status: 'active',
    });
  });
});
