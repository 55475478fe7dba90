import { html, raw } from 'hono/html';

export type DemoVariant = { sku: string; label: string; quantity: number | undefined };

/** The tee's sizes on /demo: one per widget state (in stock, out of stock, backorder). */
export const demoVariants = [
  { sku: 'DEMO-TEE-BLUE-S', label: 'S' },
  { sku: 'DEMO-TEE-BLUE-M', label: 'M' },
  { sku: 'DEMO-TEE-BLUE-L', label: 'L' },
] as const;

const style = `
*{box-sizing:border-box}
body{margin:0;font-family:Georgia,"Times New Roman",serif;background:#faf7f2;color:#1f2933}
.bar{display:flex;justify-content:space-between;align-items:center;padding:1rem 1.5rem;border-bottom:1px solid #e7e0d6;background:#fff}
.bar strong{font-size:1.25rem;letter-spacing:.02em}
.bar span{white-space:nowrap;font:600 .7rem system-ui,sans-serif;text-transform:uppercase;letter-spacing:.08em;color:#8a6d3b;background:#fdf3dc;padding:.3rem .6rem;border-radius:1rem}
main{max-width:64rem;margin:0 auto;padding:2rem 1.5rem;display:grid;gap:2.5rem;grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
.art{background:#e9eef5;border-radius:1rem;display:grid;place-items:center;aspect-ratio:1}
.art svg{width:70%;height:auto}
h1{font-size:2rem;margin:.25rem 0 .5rem}
.crumb{font:.85rem system-ui,sans-serif;color:#6b7280;margin:0}
.price{font-size:1.4rem;margin:0 0 1.5rem}
fieldset{border:0;padding:0;margin:0 0 1rem}
legend{font:600 .9rem system-ui,sans-serif;margin-bottom:.5rem}
.sizes{display:flex;gap:.5rem}
.sizes label{position:relative}
.sizes input{position:absolute;opacity:0;inset:0;cursor:pointer}
.sizes span{display:grid;place-items:center;min-width:3rem;height:3rem;border:1px solid #cbd2d9;border-radius:.5rem;background:#fff;font:600 1rem system-ui,sans-serif}
.sizes input:checked+span{border:2px solid #1f2933}
.sizes input:focus-visible+span{outline:3px solid #2563eb;outline-offset:2px}
.sizes .out span{color:#9aa5b1;background:linear-gradient(to top right,#fff 48%,#cbd2d9 49%,#cbd2d9 51%,#fff 52%)}
.stock{font:.95rem system-ui,sans-serif;margin:0 0 1rem}
.add{width:100%;padding:.9rem;border:0;border-radius:.5rem;background:#1f2933;color:#fff;font:600 1rem system-ui,sans-serif}
.add:disabled{background:#cbd2d9;color:#52606d}
.restock-notifier{--restock-font:system-ui,sans-serif;--restock-accent:#1f2933;--restock-radius:.5rem}
.embed{grid-column:1/-1;font:.9rem system-ui,sans-serif;color:#52606d;border-top:1px solid #e7e0d6;padding-top:1.5rem}
.embed code{display:block;white-space:pre-wrap;word-break:break-all;background:#fff;border:1px solid #e7e0d6;border-radius:.5rem;padding:.75rem;margin-top:.5rem;color:#1f2933}
@media (max-width:720px){main{grid-template-columns:1fr;gap:1.25rem;padding:1rem}h1{font-size:1.6rem}}`;

// The variant picker a shop's theme would have: it only sets data-sku on the widget's script tag.
const picker = `
const script = document.getElementById('restock-widget');
const stock = document.getElementById('stock');
const add = document.getElementById('add');
const snippet = document.getElementById('snippet');
for (const input of document.querySelectorAll('input[name=size]')) {
  input.addEventListener('change', () => {
    script.dataset.sku = input.value;
    snippet.textContent = snippet.textContent.replace(/data-sku="[^"]*"/, 'data-sku="' + input.value + '"');
    stock.textContent = input.dataset.stock;
    add.disabled = input.dataset.buyable !== 'true';
    history.replaceState(null, '', '?sku=' + encodeURIComponent(input.value));
  });
}`;

const tee = `<svg viewBox="0 0 200 200" aria-hidden="true"><path fill="#3b6ea5" d="M70 30l-45 22 15 38 20-8v88h80V82l20 8 15-38-45-22c-5 12-17 20-30 20S75 42 70 30z"/></svg>`;

const stockText = (v: DemoVariant, backorderable: Set<string>) =>
  v.quantity === undefined
    ? 'Not in the catalogue (run npm run seed)'
    : v.quantity > 0
      ? `In stock (${v.quantity})`
      : backorderable.has(v.sku)
        ? 'Available on backorder'
        : 'Sold out';

/**
 * A fake product page of a fake shop, for trying the widget: English only, since it stands for the
 * shop's own theme (the widget inside it is localised). The script tag is the one a shop pastes.
 */
/** `widgetUrl`: what the copyable snippet shows (PUBLIC_BASE_URL); `scriptUrl`: what this page loads (its own origin). */
export function DemoPage(props: {
  widgetUrl: string;
  scriptUrl?: string;
  variants: DemoVariant[];
  selected: string;
  nonce: string;
  backorderable: Set<string>;
}) {
  const selected = props.variants.find((v) => v.sku === props.selected) ?? props.variants[1]!;
  const buyable = (v: DemoVariant) => (v.quantity ?? 0) > 0 || props.backorderable.has(v.sku);
  const snippet = `<script src="${props.widgetUrl}" data-sku="${selected.sku}" async></script>`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>Organic tee — Demo Outfitters</title>
        <style>{raw(style)}</style>
      </head>
      <body>
        <header class="bar">
          <strong>Demo Outfitters</strong>
          <span>restock-notifier demo</span>
        </header>
        <main>
          <div class="art">{raw(tee)}</div>
          <div>
            <p class="crumb">Tees · Organic cotton</p>
            <h1>Organic tee, blue</h1>
            <p class="price">€29.00</p>
            <fieldset>
              <legend>Size</legend>
              <div class="sizes">
                {props.variants.map((v) => (
                  <label class={buyable(v) || v.quantity === undefined ? '' : 'out'}>
                    <input
                      type="radio"
                      name="size"
                      value={v.sku}
                      checked={v.sku === selected.sku}
                      data-stock={stockText(v, props.backorderable)}
                      data-buyable={String(buyable(v))}
                      aria-label={`Size ${v.label}`}
                    />
                    <span>{v.label}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <p class="stock" id="stock">
              {stockText(selected, props.backorderable)}
            </p>
            <button class="add" id="add" type="button" disabled={!buyable(selected)}>
              Add to cart
            </button>
            {/* Written as markup: hono/jsx would hoist an async <script> into <head>, away from this spot. */}
            {html`<script id="restock-widget" src="${props.scriptUrl ?? props.widgetUrl}" data-sku="${selected.sku}" async></script>`}
          </div>
          <section class="embed">
            Paste one line into the product template; a variant picker only has to change <b>data-sku</b>:
            <code id="snippet">{snippet}</code>
          </section>
        </main>
        <script nonce={props.nonce}>{raw(picker)}</script>
      </body>
    </html>
  );
}
