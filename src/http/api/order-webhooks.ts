import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { applyOrderIntent } from '../../domain/backorders/apply-order-intent.js';
import type { OrderIntent } from '../../domain/backorders/order-intent.js';
import type { OnCreated } from '../../domain/backorders/register-backorders.js';
import { shopifyOrderIntent } from '../../domain/backorders/shopify-order.js';
import { wooOrderIntent } from '../../domain/backorders/woocommerce-order.js';
import { recordPlatformOrder } from '../../domain/orders/platform-orders.js';
import { AppError } from '../../errors.js';
import { errorResponses } from '../openapi.js';
import { createRouter } from '../router.js';
import { verifiedBody } from './webhooks.js';

const Result = z
  .object({
    duplicate: z.boolean(),
    action: z.enum(['register', 'close', 'ignore']),
    registered: z.number().int(),
    existing: z.number().int(),
    closed: z.number().int(),
    skipped: z.array(z.object({ sku: z.string().optional(), why: z.string() })),
  })
  .openapi('OrderWebhookResult');
const responses = {
  200: {
    description: 'Applied, ignored, or a duplicate delivery (applied before)',
    content: { 'application/json': { schema: Result } },
  },
  ...errorResponses(
    [400, 'malformed payload'],
    [401, 'missing or wrong signature'],
    [403, 'this webhook is not configured (no secret)'],
  ),
};

// No body schema on purpose: the HMAC is checked over the raw bytes before anything is parsed.
const shopifyRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks/shopify/orders',
  tags: ['backorders'],
  summary:
    'Shopify orders/create, orders/cancelled, fulfillments/create (topic from X-Shopify-Topic; X-Shopify-Hmac-Sha256 over the raw body)',
  responses,
});
const wooRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks/woocommerce/orders',
  tags: ['backorders'],
  summary:
    'WooCommerce order.created / order.updated (items with the Backordered meta; X-WC-Webhook-Signature over the raw body)',
  responses,
});

/** Order webhooks → the backorder book, each delivery applied once. */
export function orderWebhookRoutes(deps: Deps, onCreated?: OnCreated) {
  const app = createRouter();
  const { webhooks } = deps.config;

  app.openapi(shopifyRoute, async (c) => {
    const topic = c.req.header('x-shopify-topic') ?? '';
    const body = await verifiedBody(
      c,
      webhooks.shopifySecret,
      'x-shopify-hmac-sha256',
      'Shopify',
      topic,
      'x-shopify-webhook-id',
    );
    if (body.json === undefined) throw new AppError('BAD_REQUEST', 'The body is not JSON.');
    const intent = shopifyOrderIntent(topic, body.json);
    const applied = await applyOrderIntent(
      { ...deps, onCreated },
      { provider: 'shopify', deliveryId: body.deliveryId, bodyHash: body.bodyHash, intent },
    );
    await recordPlatformOrder(deps, { provider: 'shopify', topic, payload: body.json });
    return c.json(applied, 200);
  });

  app.openapi(wooRoute, async (c) => {
    // The action comes from the signed body alone, so the (unsigned) topic header is not part of the hash.
    const body = await verifiedBody(
      c,
      webhooks.woocommerceSecret,
      'x-wc-webhook-signature',
      'WooCommerce',
      'order',
      'x-wc-webhook-delivery-id',
    );
    let intent: OrderIntent;
    if (body.json === undefined) {
      // WooCommerce pings a new webhook with a form body `webhook_id=N`: acknowledge, apply nothing.
      if (!/^webhook_id=\d+$/.test(body.raw.trim())) throw new AppError('BAD_REQUEST', 'The body is not JSON.');
      intent = { kind: 'ignore', why: 'webhook ping' };
    } else {
      intent = wooOrderIntent(body.json);
    }
    const applied = await applyOrderIntent(
      { ...deps, onCreated },
      { provider: 'woocommerce', deliveryId: body.deliveryId, bodyHash: body.bodyHash, intent },
    );
    // The orders record (results): order.created only, idempotent on the order id.
    if (body.json !== undefined)
      await recordPlatformOrder(deps, {
        provider: 'woocommerce',
        topic: c.req.header('x-wc-webhook-topic') ?? '',
        payload: body.json,
      });
    return c.json(applied, 200);
  });
  return app;
}
