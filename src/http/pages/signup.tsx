import type { Availability } from '../../domain/inventory/get-availability.js';
import { Layout, type PageChrome } from './layout.js';

type SignupProps = PageChrome & {
  product: Availability;
  doubleOptIn: boolean;
  /** After a refused form post: the message shown at the field, and what the shopper typed. */
  error?: { message: string; email: string };
};

/**
 * The hosted "notify me" page: a plain form that works without JavaScript. A refused post renders the
 * same page again (400) with the message at the field and the typed address kept.
 */
export function SignupFormPage({ m, shopName, brand, catalogue, product, doubleOptIn, error }: SignupProps) {
  const title = m.t('signup.title', { product: product.name });
  const waiting = product.waiting && product.waiting > 0 ? product.waiting : 0;
  return (
    <Layout
      m={m}
      shopName={shopName}
      brand={brand}
      catalogue={catalogue}
      title={error ? `${m.t('error.VALIDATION.title')}: ${title}` : title}
    >
      {product.imageUrl && <img class="product-image" src={product.imageUrl} alt="" width={96} height={96} />}
      <p class="eyebrow">{m.t('signup.eyebrow')}</p>
      <h1>{product.name}</h1>
      <p class="lead">{m.t('signup.lead')}</p>
      {product.eta && <p class="notice">{m.t('signup.eta', { date: m.date(product.eta) })}</p>}
      {waiting > 0 && (
        <p class="muted">
          {m.t(waiting === 1 ? 'signup.waiting.one' : 'signup.waiting.other', { count: String(waiting) })}
        </p>
      )}
      <form method="post" action="/api/v1/signups" novalidate={error ? true : undefined}>
        <input type="hidden" name="sku" value={product.sku} />
        <input type="hidden" name="source" value="hosted-page" />
        <input type="hidden" name="locale" value={m.locale} />
        <div class="field">
          <label for="email">{m.t('signup.email.label')}</label>
          {error && (
            <span class="field-error" id="email-error">
              {error.message}
            </span>
          )}
          <input
            id="email"
            type="email"
            name="email"
            required
            maxlength={254}
            autocomplete="email"
            value={error?.email}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'email-error email-hint' : 'email-hint'}
            autofocus={error ? true : undefined}
          />
          <span class="hint" id="email-hint">
            {m.t('signup.email.hint')}
          </span>
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
      <p class="muted">{m.t('signup.consent', { shop: shopName })}</p>
      {product.url && (
        <p>
          <a href={product.url}>{m.t('signup.back')}</a>
        </p>
      )}
    </Layout>
  );
}

/** Shown instead of the form when the product can be bought now. */
export function InStockPage({ m, shopName, brand, catalogue, product }: PageChrome & { product: Availability }) {
  const title = m.t('signup.inStock.title', { product: product.name });
  return (
    <Layout m={m} shopName={shopName} brand={brand} catalogue={catalogue} title={title}>
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

export function SignupDonePage({ m, shopName, brand, catalogue, productName, productUrl, pending }: DoneProps) {
  const which = pending ? 'pending' : 'active';
  return (
    <Layout m={m} shopName={shopName} brand={brand} catalogue={catalogue} title={m.t('signup.done.title')}>
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
