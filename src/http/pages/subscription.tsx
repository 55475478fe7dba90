import { Layout, type PageChrome } from './layout.js';

/**
 * After the confirmation link: on the list, with the unsubscribe link (the link holder owns the
 * mailbox). `already`: a second click (or a link scanner got there first) — said kindly, with 200.
 */
export function ConfirmedPage({
  m,
  shopName,
  brand,
  catalogue,
  productName,
  unsubscribeHref,
  already = false,
}: PageChrome & { productName: string; unsubscribeHref: string; already?: boolean }) {
  const key = already ? 'confirm.already' : 'confirm';
  return (
    <Layout m={m} shopName={shopName} brand={brand} catalogue={catalogue} title={m.t(`${key}.title`)}>
      <h1>{m.t(`${key}.heading`)}</h1>
      <p>{m.parts(`${key}.text`, { product: <strong>{productName}</strong> })}</p>
      <p class="muted">
        {m.parts('confirm.unsubscribe', { link: <a href={unsubscribeHref}>{m.t('confirm.unsubscribe.link')}</a> })}
      </p>
    </Layout>
  );
}

type UnsubscribeProps = PageChrome & { maskedEmail: string; productName: string; actionHref: string; already: boolean };

/** The unsubscribe page: a GET never unsubscribes, the buttons POST. */
export function UnsubscribePage({
  m,
  shopName,
  brand,
  catalogue,
  maskedEmail,
  productName,
  actionHref,
  already,
}: UnsubscribeProps) {
  const key = already ? 'unsubscribe.already' : 'unsubscribe';
  return (
    <Layout m={m} shopName={shopName} brand={brand} catalogue={catalogue} title={m.t(`${key}.title`)}>
      <h1>{m.t(`${key}.heading`)}</h1>
      <p>{m.parts(`${key}.text`, { email: maskedEmail, product: <strong>{productName}</strong> })}</p>
      {!already && (
        <form method="post" action={actionHref}>
          <button type="submit">{m.t('unsubscribe.submit')}</button>
        </form>
      )}
      <form method="post" action={actionHref}>
        <input type="hidden" name="scope" value="all" />
        <button type="submit" class="secondary">
          {m.t('unsubscribe.all.submit', { shop: shopName })}
        </button>
      </form>
    </Layout>
  );
}

/** After the button: unsubscribed from this product, or from everything the shop sends. */
export function UnsubscribedPage({
  m,
  shopName,
  brand,
  catalogue,
  maskedEmail,
  productName,
  all,
}: PageChrome & { maskedEmail: string; productName: string; all: boolean }) {
  const key = all ? 'unsubscribe.done.all' : 'unsubscribe.done';
  return (
    <Layout m={m} shopName={shopName} brand={brand} catalogue={catalogue} title={m.t('unsubscribe.done.title')}>
      <h1>{m.t(`${key}.heading`)}</h1>
      <p>{m.parts(`${key}.text`, { email: maskedEmail, shop: shopName, product: <strong>{productName}</strong> })}</p>
    </Layout>
  );
}
