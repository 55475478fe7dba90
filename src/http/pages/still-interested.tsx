import { Layout, type PageChrome } from './layout.js';

type Props = PageChrome & { maskedEmail: string; productName: string; actionHref: string };

/** The page behind the email's "keep me" link: a GET only shows the button, the button POSTs. */
export function StillInterestedPage({ m, shopName, brand, catalogue, maskedEmail, productName, actionHref }: Props) {
  return (
    <Layout m={m} shopName={shopName} brand={brand} catalogue={catalogue} title={m.t('stillInterested.title')}>
      <h1>{m.t('stillInterested.heading', { product: productName })}</h1>
      <p>{m.parts('stillInterested.text', { email: maskedEmail, product: <strong>{productName}</strong> })}</p>
      <form method="post" action={actionHref}>
        <button type="submit">{m.t('stillInterested.submit')}</button>
      </form>
    </Layout>
  );
}

/** After the button: kept (`done`), or the subscription was no longer waiting (`gone`). */
export function StillInterestedDonePage({
  m,
  shopName,
  brand,
  catalogue,
  maskedEmail,
  productName,
  kept,
}: PageChrome & { maskedEmail: string; productName: string; kept: boolean }) {
  const key = kept ? 'stillInterested.done' : 'stillInterested.gone';
  return (
    <Layout m={m} shopName={shopName} brand={brand} catalogue={catalogue} title={m.t(`${key}.title`)}>
      <h1>{m.t(`${key}.heading`)}</h1>
      <p>{m.parts(`${key}.text`, { email: maskedEmail, product: <strong>{productName}</strong> })}</p>
    </Layout>
  );
}
