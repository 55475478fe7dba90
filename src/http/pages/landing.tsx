import { Layout, type PageChrome } from './layout.js';

type LandingProps = PageChrome & {
  /** Development only: out-of-stock demo products to try the signup page with. */
  demo?: { sku: string; name: string }[];
  /** Development only, capture transport: where emails are written instead of sent. */
  mailboxDir?: string;
};

/** `GET /`: what this service is, where the API reference is, and (in development) how to try it. */
export function LandingPage({ m, shopName, catalogue, demo, mailboxDir }: LandingProps) {
  return (
    <Layout m={m} shopName={shopName} catalogue={catalogue} title={m.t('landing.title')}>
      <h1>{m.t('landing.title')}</h1>
      <p class="lead">{m.t('landing.lead', { shop: shopName })}</p>
      <ul class="links">
        <li>
          <a href="/docs">{m.t('landing.docs')}</a> <span class="muted">— {m.t('landing.docs.note')}</span>
        </li>
        <li>
          <a href="/demo">{m.t('landing.widget')}</a> <span class="muted">— {m.t('landing.widget.note')}</span>
        </li>
      </ul>
      {demo && demo.length > 0 && (
        <>
          <h2>{m.t('landing.demo.heading')}</h2>
          <p>{m.t('landing.demo.text')}</p>
          <ul class="links">
            {demo.map((p) => (
              <li>
                <a href={`/signup/${encodeURIComponent(p.sku)}`}>{p.name}</a> <code>{p.sku}</code>
              </li>
            ))}
          </ul>
          {mailboxDir && <p class="notice">{m.parts('landing.demo.mailbox', { dir: <code>{mailboxDir}</code> })}</p>}
        </>
      )}
    </Layout>
  );
}
