import { describe, expect, it } from 'vitest';
import { orderPageUrl } from '../../../src/domain/backorders/order-tokens.js';
import { hideOrderTokens } from '../../../src/domain/mailbox/hide-order-tokens.js';

/** Issue 21 point 6: the dev mailbox hides order-page tokens (they can cancel an order) from marketing users. */
describe('hideOrderTokens', () => {
  it('replaces the token of every order link in HTML, text and headers, and nothing else', () => {
    const url = orderPageUrl('https://shop.example', 'secret-0123456789-abcdefghijklmnopq', 42);
    const token = url.split('/orders/')[1]!;
    const shown = hideOrderTokens({
      id: 'm1',
      subject: 'Your order',
      from: 'a@shop.example',
      to: 'jane@example.com',
      date: null,
      size: 1,
      html: `<a href="${url}?choice=cancel">Cancel</a> <a href="https://shop.example/confirm?token=abc">x</a>`,
      text: `Keep waiting: ${url}?choice=wait`,
      headers: [{ name: 'X-Order', value: url }],
    });
    expect(JSON.stringify(shown)).not.toContain(token);
    expect(shown.html).toContain('https://shop.example/orders/[hidden]?choice=cancel');
    expect(shown.html).toContain('/confirm?token=abc');
    expect(shown.text).toBe('Keep waiting: https://shop.example/orders/[hidden]?choice=wait');
    expect(shown.headers[0]!.value).toBe('https://shop.example/orders/[hidden]');
  });
});
