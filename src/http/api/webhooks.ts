import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../../deps.js';
import { applyWebhookDelivery, webhookBodyHash } from '../../domain/inventory/apply-webhook-delivery.js';
import type { InventoryChange } from '../../domain/inventory/inventory-input.js';
import { shopifyProductChanges } from '../../domain/inventory/shopify-product.js';
import { verifyWebhookSignature } from '../../domain/inventory/verify-webhook-signature.js';
import { wooProductChanges } from '../../domain/inventory/woocommerce-product.js';
import { DeliveryId } from '../../domain/validation/text.js';
import { AppError } from '../../errors.js';
import { countChanges } from '../../domain/inventory/inventory-metrics.js';
import { errorResponses } from '../openapi.js';
import { createRouter } from '../router.js';
import type { AppEnv } from '../context.js';

const Result = z
  .object({
    duplicate: z.boolean(),
    results: z.array(z.object({ sku: z.string(), outcome: z.enum(['created', 'updated', 'unchanged', 'stale']) })),
    rejected: z
      .array(z.object({ sku: z.string(), errors: z.array(z.object({ path: z.string(), message: z.string() })) }))
      .optional()
      .openapi({ description: 'Variants that failed validation (same rules as the API): skipped, the others applied' }),
  })
  .openapi('WebhookResult');
const responses = {
  200: {
    description: 'Applied, or a duplicate delivery (applied before)',
    content: { 'application/json': { schema: Result } },
  },
  ...errorResponses(
    [400, 'malformed payload, a bad delivery-id header, or an update time more than 5 minutes in the future'],
    [401, 'missing or wrong signature'],
    [403, 'this webhook is not configured (no secret)'],
    413,
  ),
};

// The body is deliberately NOT declared: a validator would parse it before the signature check,
// and the HMAC must be computed over the raw bytes.
const shopifyRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks/shopify/products-update',
  tags: ['inventory'],
  summary: 'Shopify products/update webhook (X-Shopify-Hmac-Sha256 over the raw body)',
  responses,
});
const wooRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks/woocommerce/product-updated',
  tags: ['inventory'],
  summary: 'WooCommerce product.updated webhook (X-WC-Webhook-Signature over the raw body)',
  responses,
});

/**
 * Reads the raw body, checks the signature, parses JSON. Order matters: nothing about the payload
 * is looked at (or answered) before the signature is verified.
 */
export async function verifiedBody(
  c: Context<AppEnv>,
  secret: string | undefined,
  header: string,
  provider: string,
  topic: string,
  idHeader: string,
): Promise<{ raw: string; json?: unknown; bodyHash: string; deliveryId?: string }> {
  if (!secret)
    throw new AppError('FORBIDDEN', `${provider} webhooks are not enabled on this service (no secret configured).`);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (!verifyWebhookSignature(secret, bytes, c.req.header(header))) {
    throw new AppError('UNAUTHORIZED', `The ${header} signature does not match the body.`);
  }
  // The id header is not signed: bound and check it like any identifier (it is a primary key).
  const idValue = c.req.header(idHeader);
  const id = idValue === undefined ? undefined : DeliveryId.safeParse(idValue);
  if (id && !id.success)
    throw new AppError('VALIDATION', `The ${idHeader} header is not a valid delivery id.`, {
      details: [{ path: idHeader, message: id.error.issues[0]?.message ?? 'invalid' }],
    });
  const raw = new TextDecoder().decode(bytes);
  const seen = { raw, bodyHash: webhookBodyHash(topic, bytes), deliveryId: id?.data };
  try {
    return { ...seen, json: JSON.parse(raw) as unknown };
  } catch {
    return seen;
  }
}

/** Shopify and WooCommerce product webhooks → inventory intake, each delivery applied once. */
export function webhookRoutes(deps: Deps) {
  const app = createRouter();
  const { webhooks, restock } = deps.config;

  app.openapi(shopifyRoute, async (c) => {
    const body = await verifiedBody(
      c,
      webhooks.shopifySecret,
      'x-shopify-hmac-sha256',
      'Shopify',
      'products/update',
      'x-shopify-webhook-id',
    );
    if (body.json === undefined) throw new AppError('BAD_REQUEST', 'The body is not JSON.');
    // Never X-Shopify-Shop-Domain: Shopify's HMAC covers the body only, so the header is anyone's to set.
    const changes = shopifyProductChanges(body.json, webhooks.shopifyShopDomain);
    const result = await applyWebhookDelivery(deps, {
      provider: 'shopify',
      deliveryId: body.deliveryId,
      bodyHash: body.bodyHash,
      changes,
    });
    countChanges(c.var.metrics, 'shopify', result);
    return c.json(result, 200);
  });

  app.openapi(wooRoute, async (c) => {
    const body = await verifiedBody(
      c,
      webhooks.woocommerceSecret,
      'x-wc-webhook-signature',
      'WooCommerce',
      'product.updated',
      'x-wc-webhook-delivery-id',
    );
    let changes: InventoryChange[];
    if (body.json === undefined) {
      // WooCommerce "pings" a new webhook with a form body `webhook_id=N`: acknowledge, apply nothing.
      if (/^webhook_id=\d+$/.test(body.raw.trim())) return c.json({ duplicate: false, results: [] }, 200);
      throw new AppError('BAD_REQUEST', 'The body is not JSON.');
    } else {
      changes = wooProductChanges(body.json, restock.minQuantity);
    }
    const result = await applyWebhookDelivery(deps, {
      provider: 'woocommerce',
      deliveryId: body.deliveryId,
      bodyHash: body.bodyHash,
      changes,
    });
    countChanges(c.var.metrics, 'woocommerce', result);
    return c.json(result, 200);
  });
  return app;
}
