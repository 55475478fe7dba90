import { expect } from 'vitest';
import { INVENTORY_TOKEN } from './deps.js';
import { uid } from './factories.js';

type App = { request(path: string, init: RequestInit): Response | Promise<Response> };

const inventoryCall = (app: App, method: string, path: string, body: unknown) =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/**
 * A backorderable product through `PUT /api/v1/inventory/{sku}` as a shop sends it: out of stock
 * unless `fields` says otherwise (`quantity`, an ETA …). @returns its SKU (`{skuPrefix}-…`).
 */
export async function putBackorderableProduct(
  app: App,
  fields: Record<string, unknown> = {},
  skuPrefix = 'BO',
): Promise<string> {
  const sku = `${skuPrefix}-${uid()}`;
  const put = await inventoryCall(app, 'PUT', `/api/v1/inventory/${sku}`, {
    quantity: 0,
    name: `Lamp ${sku}`,
    backorderable: true,
    ...fields,
  });
  expect(put.status).toBe(200);
  return sku;
}

/**
 * One order line of one unit for `sku` through `POST /api/v1/backorders` (`fields` adds to it, e.g.
 * `orderedAt`). @returns its identifiers and the answered line.
 */
export async function postOrderLine(
  app: App,
  sku: string,
  fields: Record<string, unknown> = {},
  orderPrefix = 'L',
): Promise<{ sku: string; orderId: string; email: string; line: Record<string, unknown> }> {
  const orderId = `${orderPrefix}-${uid()}`;
  const email = `${orderId.toLowerCase()}@mail.example`;
  const res = await inventoryCall(app, 'POST', '/api/v1/backorders', {
    orderId,
    sku,
    email,
    quantity: 1,
    customerName: 'Ada',
    ...fields,
  });
  expect(res.status).toBe(201);
  const { backorder } = (await res.json()) as { backorder: Record<string, unknown> };
  return { sku, orderId, email, line: backorder };
}

/**
 * A backorderable product out of stock (`product` adds fields to its PUT, e.g. an ETA) and one order
 * line for it placed on 2026-03-01, both through the inventory API. @returns the line's identifiers.
 */
export async function postBackorderLine(
  app: App,
  product: Record<string, unknown> = {},
  prefix = 'L',
): Promise<{ sku: string; orderId: string; email: string }> {
  const sku = await putBackorderableProduct(app, product);
  const { orderId, email } = await postOrderLine(app, sku, { orderedAt: '2026-03-01T12:00:00Z' }, prefix);
  return { sku, orderId, email };
}
