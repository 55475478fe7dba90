import { expect } from 'vitest';
import { INVENTORY_TOKEN } from './deps.js';
import { uid } from './factories.js';

type App = { request(path: string, init: RequestInit): Response | Promise<Response> };

/**
 * A backorderable product out of stock (`product` adds fields to its PUT, e.g. an ETA) and one order
 * line for it, both through the inventory API as a shop sends them. @returns the line's identifiers.
 */
export async function postBackorderLine(
  app: App,
  product: Record<string, unknown> = {},
  prefix = 'L',
): Promise<{ sku: string; orderId: string; email: string }> {
  const call = (method: string, path: string, body: unknown) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const sku = `BO-${uid()}`;
  const put = await call('PUT', `/api/v1/inventory/${sku}`, {
    quantity: 0,
    name: `Lamp ${sku}`,
    backorderable: true,
    ...product,
  });
  expect(put.status).toBe(200);
  const orderId = `${prefix}-${uid()}`;
  const email = `${orderId.toLowerCase()}@mail.example`;
  const res = await call('POST', '/api/v1/backorders', {
    orderId,
    sku,
    email,
    quantity: 1,
    customerName: 'Ada',
    orderedAt: '2026-03-01T12:00:00Z',
  });
  expect(res.status).toBe(201);
  return { sku, orderId, email };
}
