import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { products } from '../../db/schema/index.js';
import type { AppEnv } from '../env.js';
import { errorPage, html, htmlPage } from '../html.js';

const SkuParam = z.object({ sku: z.string().min(1).max(200).openapi({ param: { name: 'sku', in: 'path' }, example: 'TEE-BLUE-M' }) });

const page = createRoute({
  method: 'get',
  path: '/signup/{sku}',
  tags: ['shoppers'],
  summary: 'Hosted signup page for one SKU (HTML)',
  request: { params: SkuParam },
  responses: { 200: { description: 'HTML page with the signup form' }, 404: { description: 'HTML page: unknown SKU' } },
});

const done = createRoute({
  method: 'get',
  path: '/signup/{sku}/done',
  tags: ['shoppers'],
  summary: 'Result page after a form signup (HTML)',
  request: {
    params: SkuParam,
    query: z.object({ status: z.enum(['pending', 'active', 'notified', 'unsubscribed']).optional() }),
  },
  responses: { 200: { description: 'HTML page' } },
});

/** The hosted signup page and the page a form post is redirected to. Everything shown is escaped. */
export function signupPageRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return errorPage(c, 404, 'Page not found', 'This signup link is not complete.');
    },
  });

  const findProduct = async (sku: string) => (await deps.db.select().from(products).where(eq(products.sku, sku)))[0];

  app.openapi(page, async (c) => {
    const { sku } = c.req.valid('param');
    const product = await findProduct(sku);
    if (!product) return errorPage(c, 404, 'We do not know this product', 'Check the link you followed, or go back to the shop.');
    if (product.quantity >= deps.config.restock.minQuantity) {
      return htmlPage(c, {
        title: `${product.name} is in stock`,
        body: html`<h1>${product.name} is in stock</h1><p>No need to wait: you can buy it now.</p>
${product.url ? html`<p><a href="${product.url}">Go to the product</a></p>` : ''}`,
      });
    }
    const eta = product.eta ? html`<p class="muted">Expected back around ${product.eta}.</p>` : '';
    return htmlPage(c, {
      title: `Notify me: ${product.name}`,
      body: html`<h1>${product.name}</h1>
<p>This product is out of stock. Leave your email and we will write to you once when it is back.</p>${eta}
<form method="post" action="/api/v1/signups">
  <input type="hidden" name="sku" value="${product.sku}">
  <input type="hidden" name="source" value="hosted-page">
  <label for="email">Email address</label>
  <input id="email" type="email" name="email" required maxlength="254" autocomplete="email">
  <div class="hp" aria-hidden="true"><label for="website">Leave this empty</label><input id="website" type="text" name="website" tabindex="-1" autocomplete="off"></div>
  <button type="submit">Notify me</button>
</form>
${deps.config.signup.doubleOptIn ? html`<p class="muted">We will send you a link to confirm your address first.</p>` : ''}`,
    });
  });

  app.openapi(done, async (c) => {
    const { sku } = c.req.valid('param');
    const { status } = c.req.valid('query');
    const product = await findProduct(sku);
    const name = product?.name ?? 'this product';
    const body =
      status === 'pending'
        ? html`<h1>Check your inbox</h1><p>We sent you an email. Open the link in it to confirm, and we will tell you when ${name} is back.</p>`
        : html`<h1>You are on the list</h1><p>We will email you when ${name} is back in stock.</p>`;
    return htmlPage(c, { title: 'Thank you', body });
  });

  return app;
}
