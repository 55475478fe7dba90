import { createHash } from 'node:crypto';
import { designTokens } from '../design-tokens.js';

/**
 * The one stylesheet of the hosted pages, served at `/assets/app.css`. Branding is CSS custom
 * properties on `:root` (src/http/design-tokens.ts, shared with the console's stylesheet) so settings
 * can override them without touching the rules.
 * Colours are chosen for WCAG AA: text ≥ 7:1 on the surface, the accent ≥ 4.5:1 against white.
 */
export const appCss = `
${designTokens}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;font-family:var(--font);font-size:1rem;line-height:1.55;color:var(--text);background:var(--bg)}
a{color:var(--accent);text-underline-offset:2px}
a:hover{color:var(--accent-hover)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:4px}
.skip{position:absolute;left:-10000px}
.skip:focus{left:1rem;top:1rem;background:var(--surface);padding:.5rem .75rem;z-index:1}
.site-header{background:var(--surface);border-bottom:1px solid var(--border)}
.site-header .bar{max-width:44rem;margin:0 auto;padding:1rem 1.25rem;display:flex;align-items:center;gap:.75rem}
.brand{font-weight:700;font-size:1.05rem;color:var(--text);text-decoration:none;letter-spacing:-.01em}
.brand-logo{display:block;max-height:2.5rem;max-width:12rem;width:auto}
.brand-link{color:inherit;text-decoration:none;display:inline-flex;align-items:center;gap:.5rem}
.site-footer .privacy{margin:.5rem auto 0;max-width:40rem}
.site-footer .footer-text{margin:.5rem auto 0;max-width:40rem;white-space:pre-line}
.brand-mark{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;background:var(--accent)}
main{flex:1;width:100%;max-width:44rem;margin:0 auto;padding:2.5rem 1.25rem}
.card>:last-child{margin-bottom:0}
.card{background:var(--surface);border:1px solid var(--border);border-radius:var(--radius);padding:2rem 2.25rem;box-shadow:0 1px 2px rgba(17,24,39,.04),0 8px 24px rgba(17,24,39,.06)}
h1{font-size:1.75rem;line-height:1.25;margin:0 0 .75rem;letter-spacing:-.015em}
h2{font-size:1.15rem;margin:2rem 0 .5rem}
p{margin:0 0 1rem}
.eyebrow{display:inline-block;margin:0 0 .75rem;padding:.15rem .6rem;border-radius:999px;background:#fef3c7;color:#78350f;font-size:.8rem;font-weight:600;letter-spacing:.02em;text-transform:uppercase}
.lead{font-size:1.075rem}
.muted{color:var(--muted);font-size:.925rem}
.notice{border-left:4px solid var(--accent);background:#eff6ff;padding:.75rem 1rem;border-radius:0 8px 8px 0;margin:0 0 1.25rem}
.notice.error{border-color:var(--danger);background:#fef2f2}
form{margin:1.5rem 0 0}
form+form{margin-top:.75rem}
.choices{display:flex;flex-wrap:wrap;gap:.75rem}
form+.muted{margin-top:1.25rem}
label{display:block;font-weight:600;margin:0 0 .35rem}
.field-error{display:block;color:var(--danger);font-weight:600;margin:0 0 .35rem}
input[aria-invalid=true]{border-color:var(--danger);border-width:2px}
.product-image{float:right;width:6rem;height:6rem;object-fit:cover;border-radius:8px;border:1px solid var(--border);margin:0 0 1rem 1rem}
.hint{display:block;color:var(--muted);font-size:.875rem;margin:.35rem 0 0}
input[type=email],input[type=text]{width:100%;padding:.7rem .85rem;font:inherit;color:var(--text);background:var(--surface);border:1px solid #9ca3af;border-radius:8px}
input[type=email]:focus-visible,input[type=text]:focus-visible{border-color:var(--accent);outline:3px solid rgba(29,78,216,.35);outline-offset:0}
.field{margin:0 0 1rem}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
button,.button{display:inline-flex;align-items:center;justify-content:center;min-height:2.75rem;padding:.65rem 1.35rem;font:inherit;font-weight:600;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-contrast);cursor:pointer;text-decoration:none}
button:hover,.button:hover{background:var(--accent-hover);border-color:var(--accent-hover);color:var(--accent-contrast)}
button.secondary,.button.secondary{background:var(--surface);color:var(--text);border-color:#6b7280}
button.secondary:hover,.button.secondary:hover{background:#f3f4f6;color:var(--text)}
ul.links{list-style:none;padding:0;margin:0 0 1rem}
ul.links li{padding:.6rem 0;border-bottom:1px solid var(--border)}
ul.links li:last-child{border-bottom:0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:#f3f4f6;padding:.1rem .3rem;border-radius:4px;word-break:break-all}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.site-footer{color:var(--muted);font-size:.875rem;text-align:center;padding:1.5rem 1.25rem 2rem}
@media (max-width:480px){
  main{padding:1.25rem .75rem}
  .card{padding:1.5rem 1.25rem}
  h1{font-size:1.45rem}
  .actions{flex-direction:column;align-items:stretch}
  button,.button{width:100%}
}
`.trim();

/** Short content hash: the layout links `/assets/app.css?v=<hash>`, so a changed stylesheet is a new URL. */
export const appCssVersion = createHash('sha256').update(appCss).digest('hex').slice(0, 12);
