import type { MailboxMessage } from './read-mailbox.js';

/** An order page link's token (src/domain/backorders/order-tokens.ts: `<base>/orders/<token>`). */
const ORDER_LINK = /(\/orders\/)([A-Za-z0-9_.~-]{8,})/g;

/**
 * The captured message with order-page tokens replaced by `[hidden]` (issue 21): an order page can
 * cancel the order, so its link is the shopper's alone — a marketing user reading the dev mailbox sees
 * the message as sent, minus that capability. Admins see it unchanged. Pure.
 */
export function hideOrderTokens(message: MailboxMessage): MailboxMessage {
  const hide = (s: string) => s.replace(ORDER_LINK, '$1[hidden]');
  return {
    ...message,
    html: message.html === null ? null : hide(message.html),
    text: message.text === null ? null : hide(message.text),
    headers: message.headers.map((h) => ({ name: h.name, value: hide(h.value) })),
  };
}
