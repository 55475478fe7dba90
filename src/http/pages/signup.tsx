import type { Availability } from '../../domain/inventory/get-availability.js';
import { Layout, type PageChrome } from './layout.js';

type SignupProps = PageChrome & { product: Availability; doubleOptIn: boolean };

/** The hosted "notify me" page: a plain form that works without JavaScript. */
export function SignupFormPage({ m, shopName, catalogue, product, doubleOptIn }: SignupProps) {
  const title = m.t('signup.title', { product: product.name });
  return (
    <Layout m={m} shopName={shopName} catalogue={catalogue} title={title}>
      <p class="eyebrow">{m.t('signup.eyebrow')}</p>
      <h1>{product.name}</h1>
      <p class="lead">{m.t('signup.lead')}</p>
      {product.eta && <p class="notice">{m.t('signup.eta', { date: m.date(product.eta) })}</p>}
      <form method="post" action="/api/v1/signups">
        <input type="hidden" name="sku" value={product.sku} />
        <input type="hidden" name="source" value="hosted-page" />
        <input type="hidden" name="locale" value={m.locale} />
        <div class="field">
          <label for="email">{m.t('signup.email.label')}</label>
          <input id="email" type="email" name="email" required maxlength={254} autocomplete="email" aria-describedby="email-hint" />
          <span class="hint" id="email-hint">{m.t('signup.email.hint')}</span>
        </div>
        <div class="hp" aria-hidden="true">
          <label for="website">{m.t('signup.honeypot')}</label>
          <input id="website" type="text" name="website" tabindex={-1} autocomplete="off" />
        </div>
        <div class="actions">
          <button type="submit">{m.t('signup.submit')}</button>
        </div>
      </form>
      {doubleOptIn && <p class="muted">{m.t('signup.doubleOptIn')}</p>}
    </Layout>
  );
}

/** Shown instead of the form when the product can be bought now. */
export function InStockPage({ m, shopName, catalogue, product }: PageChrome & { product: Availability }) {
  const title = m.t('signup.inStock.title', { product: product.name });
  return (
    <Layout m={m} shopName={shopName} catalogue={catalogue} title={title}>
      <h1>{title}</h1>
      <p>{m.t('signup.inStock.text')}</p>
      {product.url && (
        <p>
          <a class="button" href={product.url}>
            {m.t('signup.inStock.link')}
          </a>
        </p>
      )}
    </Layout>
  );
}

/** Where a form post lands: "check your inbox" under double opt-in, else "you are on the list". */
type DoneProps = PageChrome & { productName: string; productUrl: string | null; pending: boolean };

export function SignupDonePage({ m, shopName, catalogue, productName, productUrl, pending }: DoneProps) {
  const which = pending ? 'pending' : 'active';
  return (
    <Layout m={m} shopName={shopName} catalogue={catalogue} title={m.t('signup.done.title')}>
      <h1>{m.t(`signup.done.${which}.heading`)}</h1>
      <p>{m.parts(`signup.done.${which}.text`, { product: <strong>{productName}</strong> })}</p>
      {productUrl && (
        <p>
          <a href={productUrl}>{m.t('signup.done.back')}</a>
        </p>
      )}
    </Layout>
  );
}
