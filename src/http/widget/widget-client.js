/*! restock-notifier widget — <script src="https://notify.example/widget.js" data-sku="SKU" async></script>
 * Plain browser JavaScript, served as is (no build step). The server replaces the STRINGS placeholder
 * with the shopper-facing copy from the page catalogue (templates/), one table per locale.
 * Requests go only to the origin this script came from; nothing else is loaded. */
(() => {
  'use strict';
  const STRINGS = /*STRINGS*/ { en: {} };
  const script = document.currentScript;
  if (!script || !script.src) return;
  const base = new URL('.', script.src);
  const api = (path) => new URL(path, base).href;
  let warned = false;
  /**
   * A fetch the browser refused throws without saying why; from another origin that is almost always
   * CORS. Say so once, in the console, where the shop's developer looks.
   */
  function warnRefused() {
    if (warned || location.origin === base.origin) return;
    warned = true;
    console.warn(
      `Restock widget: ${base.origin} did not answer this page's origin ${location.origin}. ` +
        `If the service is up, add ${location.origin} to ALLOWED_ORIGINS on the service (comma-separated origins).`,
    );
  }

  // The widget renders into data-target when given, else right after its own script tag.
  const host = document.createElement('div');
  host.className = 'restock-notifier';
  host.hidden = true;
  const target = script.dataset.target ? document.querySelector(script.dataset.target) : null;
  if (target) target.append(host);
  else if (script.parentNode && script.parentNode !== document.head) script.after(host);
  else (document.body || document.documentElement).append(host);
  const root = host.attachShadow({ mode: 'open' });

  // Theme with CSS custom properties on any ancestor (they inherit into the shadow tree), e.g.
  // .restock-notifier { --restock-accent: #0a7; }. Parts are exposed for ::part() as well.
  const css = `
:host{all:initial;display:block;font-family:var(--restock-font,inherit);font-size:var(--restock-font-size,1rem);
line-height:1.45;color:var(--restock-text,inherit);margin:var(--restock-margin,1rem 0)}
:host([hidden]){display:none}
*{box-sizing:border-box;font:inherit}
.box{display:grid;gap:.75em;max-width:var(--restock-max-width,32rem)}
p{margin:0}
.eta,.waiting{color:var(--restock-muted,#4b5563);font-size:.95em}
.order{color:var(--restock-text,inherit);font-weight:600}
.order::before{content:"";display:inline-block;width:.6em;height:.6em;margin-right:.5em;border-radius:50%;background:var(--restock-ok,#15803d);vertical-align:.05em}
button{cursor:pointer;min-height:2.75em;padding:.6em 1.2em;border-radius:var(--restock-radius,.4rem);font-weight:600;
border:1px solid var(--restock-accent,#111827);background:var(--restock-accent,#111827);color:var(--restock-accent-text,#fff)}
button.toggle{background:var(--restock-bg,#fff);color:var(--restock-accent,#111827);width:100%}
button:disabled{opacity:.6;cursor:progress}
:focus-visible{outline:3px solid var(--restock-focus,#2563eb);outline-offset:2px}
form{display:grid;gap:.5em;padding:1em;border:1px solid var(--restock-border,#d1d5db);border-radius:var(--restock-radius,.4rem);background:var(--restock-bg,#fff)}
form[hidden]{display:none}
label{font-weight:600}
.row{display:flex;flex-wrap:wrap;gap:.5em}
input{flex:1 1 12em;min-width:0;min-height:2.75em;padding:.55em .7em;border:1px solid var(--restock-border,#9ca3af);border-radius:var(--restock-radius,.4rem);background:#fff;color:#111827}
input[aria-invalid=true]{border-color:var(--restock-error,#b91c1c)}
.row button{flex:0 0 auto}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.small{font-size:.85em;color:var(--restock-muted,#4b5563)}
.msg:empty{display:none}
.msg{padding:.7em .9em;border-radius:var(--restock-radius,.4rem);background:var(--restock-ok-bg,#f0fdf4);color:var(--restock-ok-text,#14532d);border:1px solid var(--restock-ok-border,#bbf7d0)}
.msg.error{background:var(--restock-error-bg,#fef2f2);color:var(--restock-error,#b91c1c);border-color:var(--restock-error-border,#fecaca)}
.msg:focus{outline:none}
@media (max-width:480px){.row button{flex:1 1 100%}}`;
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    // A constructed sheet is not an inline <style>: it works under a shop's strict style-src CSP.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
  }
  const box = el('div', { class: 'box', part: 'container' });
  root.append(box);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v == null) continue;
      if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    node.append(...children.filter((c) => c != null && c !== false));
    return node;
  }

  function locale() {
    const tag = (script.dataset.locale || document.documentElement.lang || 'en').trim();
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (!STRINGS[primary]) return { t: STRINGS.en, primary: 'en', tag: 'en-GB' };
    // A bare "en" formats dates as "12 January" (day first), which reads well in every English market.
    return { t: STRINGS[primary], primary, tag: tag.toLowerCase() === 'en' ? 'en-GB' : tag };
  }

  const fill = (text, vars) => String(text || '').replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k) => (k in vars ? vars[k] : m));

  /** A YYYY-MM-DD date as the shopper says it; null for a missing or past date (never promise the past). */
  function formatDate(iso, tag) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return null;
    const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    const today = new Date();
    const days = (date - Date.UTC(today.getFullYear(), today.getMonth(), today.getDate())) / 864e5;
    if (days < 0) return null;
    const opts = { day: 'numeric', month: 'long', timeZone: 'UTC' };
    if (days > 300) opts.year = 'numeric';
    try {
      return new Intl.DateTimeFormat(tag, opts).format(date);
    } catch {
      return new Intl.DateTimeFormat('en-GB', opts).format(date);
    }
  }

  let generation = 0;

  async function load() {
    const gen = ++generation;
    const sku = (script.dataset.sku || '').trim();
    if (!sku) return show(null, 'none');
    host.dataset.state = 'loading';
    let product = null;
    try {
      const res = await fetch(api(`api/v1/products/${encodeURIComponent(sku)}/availability`), { credentials: 'omit' });
      if (res.ok) product = await res.json();
    } catch {
      // Not allowed from this origin (CORS) or offline: the product page stays as the shop made it.
      warnRefused();
    }
    if (gen === generation) show(product, product ? product.status : 'unavailable');
  }

  /** `data-state` on the host (loading, in_stock, out_of_stock, backorder, unavailable) lets a theme style around it. */
  function show(product, state) {
    box.replaceChildren();
    host.dataset.state = state;
    host.hidden = !product || product.status === 'in_stock';
    if (host.hidden) return;
    const { t, primary, tag } = locale();
    const date = formatDate(product.eta, tag);
    if (product.status === 'backorder') {
      box.append(el('p', { class: 'order', part: 'eta' }, date ? fill(t.orderNow, { date }) : t.orderNowNoDate));
      return;
    }
    if (date) box.append(el('p', { class: 'eta', part: 'eta' }, fill(t.expectedBack, { date })));
    // Only with SHOW_WAITLIST_COUNT on the service (else `waiting` is null): a real count, never invented.
    if (product.waiting > 0) {
      box.append(
        el(
          'p',
          { class: 'waiting', part: 'waiting' },
          fill(product.waiting === 1 ? t.waitingOne : t.waitingOther, { count: product.waiting }),
        ),
      );
    }
    box.append(...notifyForm(product.sku, t, primary));
  }

  function notifyForm(sku, t, primary) {
    const id = `rn-${Math.random().toString(36).slice(2, 8)}`;
    const msg = el('p', {
      class: 'msg',
      role: 'status',
      'aria-live': 'polite',
      tabindex: '-1',
      part: 'message',
      id: `${id}-msg`,
    });
    const email = el('input', {
      id: `${id}-email`,
      type: 'email',
      name: 'email',
      required: true,
      maxlength: '254',
      autocomplete: 'email',
      inputmode: 'email',
      'aria-describedby': `${id}-note`,
      part: 'input',
    });
    const website = el('input', { type: 'text', name: 'website', tabindex: '-1', autocomplete: 'off' });
    const submit = el('button', { type: 'submit', part: 'submit' }, t.submit);
    const toggle = el(
      'button',
      {
        type: 'button',
        class: 'toggle',
        'aria-expanded': 'false',
        'aria-controls': `${id}-form`,
        part: 'button',
        onclick: () => open(toggle.getAttribute('aria-expanded') !== 'true'),
      },
      t.notifyMe,
    );
    const form = el(
      'form',
      {
        id: `${id}-form`,
        hidden: true,
        novalidate: true,
        part: 'form',
        onsubmit: send,
        onkeydown: (e) => {
          if (e.key === 'Escape') {
            open(false);
            toggle.focus();
          }
        },
      },
      el('label', { for: `${id}-email` }, t.emailLabel),
      el('div', { class: 'row' }, email, submit),
      el('div', { class: 'hp', 'aria-hidden': 'true' }, website),
      el('p', { class: 'small', id: `${id}-note` }, t.consent),
    );

    function open(yes) {
      form.hidden = !yes;
      toggle.setAttribute('aria-expanded', String(yes));
      if (yes) email.focus();
    }

    function say(text, isError) {
      msg.className = isError ? 'msg error' : 'msg';
      msg.textContent = text;
    }

    async function send(event) {
      event.preventDefault();
      if (!email.value.trim() || !email.validity.valid) {
        email.setAttribute('aria-invalid', 'true');
        email.setAttribute('aria-describedby', `${id}-msg ${id}-note`);
        say(t.invalidEmail, true);
        email.focus();
        return;
      }
      email.removeAttribute('aria-invalid');
      submit.disabled = true;
      submit.textContent = t.sending;
      say('', false);
      let text = t.error;
      let done = false;
      try {
        const res = await fetch(api('api/v1/signups'), {
          method: 'POST',
          credentials: 'omit',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: email.value.trim(),
            sku,
            locale: primary,
            source: 'widget',
            website: website.value,
          }),
        });
        const body = await res.json().catch(() => ({}));
        if (res.ok) {
          done = true;
          text = body.subscription && body.subscription.status === 'pending' ? t.pending : t.active;
        } else if (res.status === 409) text = t.inStock;
        else if (res.status === 429) text = t.rateLimited;
        else if (res.status === 400) text = t.invalidEmail;
      } catch {
        // Network failure or an origin the service does not allow: the generic message.
        warnRefused();
      }
      submit.disabled = false;
      submit.textContent = t.submit;
      say(text, !done);
      if (done) {
        form.hidden = true;
        toggle.hidden = true;
        msg.focus();
        host.dispatchEvent(new CustomEvent('restock:signup', { bubbles: true, composed: true, detail: { sku } }));
      } else if (text === t.invalidEmail) {
        email.setAttribute('aria-invalid', 'true');
        email.focus();
      }
    }

    return [toggle, form, msg];
  }

  // Variant pickers change data-sku (or data-locale) at run time: follow them.
  new MutationObserver(load).observe(script, { attributes: true, attributeFilter: ['data-sku', 'data-locale'] });
  load();
})();
