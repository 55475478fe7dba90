import type { ApiResult } from './console-context.js';
import { ApiProblem, PageHead, when } from './layout.js';

export type Branding = {
  shopName?: string | null;
  logoUrl?: string | null;
  logoSource?: 'url' | 'upload' | null;
  accentColor?: string | null;
  footerText?: string | null;
  privacyText?: string | null;
  shopUrl?: string | null;
  updatedAt?: string | null;
  updatedBy?: string | null;
};

const fields: { name: keyof Branding; label: string; type: 'text' | 'url' | 'textarea'; hint: string }[] = [
  { name: 'shopName', label: 'Shop name', type: 'text', hint: 'Shown at the top of every email and page.' },
  {
    name: 'shopUrl',
    label: 'Link back to the shop',
    type: 'url',
    hint: 'Where the logo and “back to the shop” links go.',
  },
  {
    name: 'logoUrl',
    label: 'Logo URL',
    type: 'url',
    hint: 'An https:// image, about 360×100 px. Or upload the file below.',
  },
  {
    name: 'footerText',
    label: 'Footer text (your postal address)',
    type: 'textarea',
    hint: 'Shown at the bottom of every email and page. Marketing email must carry the shop’s postal address.',
  },
  { name: 'privacyText', label: 'Privacy text', type: 'textarea', hint: 'Shown under the signup form.' },
];

/** The branding page's body (its route: routes/branding.ts). */
export function BrandingView(props: { answer: ApiResult<unknown>; b: Branding; accent: string }) {
  const { answer, b, accent } = props;
  return (
    <>
      <PageHead
        title="Branding"
        lead={`Used by every email and hosted page. Last changed ${when(b.updatedAt)}${b.updatedBy ? ` by ${b.updatedBy}` : ''}.`}
      />
      {answer.ok ? null : <ApiProblem status={answer.status} message={answer.message} />}
      <div class="grid-2">
        <form
          class="card"
          data-json="PUT /api/v1/admin/branding"
          data-done="Branding saved. New emails and pages use it now."
          method="post"
          action="#"
        >
          {fields.map((f) => (
            <div class="field">
              <label for={`b-${f.name}`}>{f.label}</label>
              {f.name === 'logoUrl' && b.logoSource === 'upload' ? (
                <input
                  id="b-logoUrl"
                  name="logoUrl"
                  type="url"
                  value=""
                  placeholder="Using the uploaded logo"
                  aria-describedby="b-logoUrl-hint"
                />
              ) : f.type === 'textarea' ? (
                <textarea id={`b-${f.name}`} name={f.name} rows={3} aria-describedby={`b-${f.name}-hint`}>
                  {b[f.name] ?? ''}
                </textarea>
              ) : (
                <input
                  id={`b-${f.name}`}
                  name={f.name}
                  type={f.type}
                  value={b[f.name] ?? ''}
                  aria-describedby={`b-${f.name}-hint`}
                />
              )}
              <p class="hint" id={`b-${f.name}-hint`}>
                {f.hint}
              </p>
            </div>
          ))}
          <div class="field">
            <label for="b-accentColor">Accent colour</label>
            <div class="inline">
              <input id="b-accentColor-picker" type="color" value={accent} aria-label="Pick the accent colour" />
              <input
                id="b-accentColor"
                name="accentColor"
                type="text"
                class="grow mono"
                value={b.accentColor ?? ''}
                pattern="#[0-9a-fA-F]{6}"
                placeholder="#1d4ed8"
                data-swatch="accent-sample"
                aria-describedby="b-accentColor-hint"
              />
            </div>
            <p class="hint" id="b-accentColor-hint">
              Buttons and links. Use a dark enough colour for white text on it.
            </p>
            <p class="small" id="b-accentColor-contrast" role="status" aria-live="polite"></p>
          </div>
          <div class="actions">
            <button type="submit">Save branding</button>
            <span class="small" role="status" aria-live="polite"></span>
          </div>
        </form>
        <section class="card" aria-labelledby="sample-title">
          <h2 id="sample-title">How it looks</h2>
          <div id="accent-sample" class="swatch-demo" style={`--preview-accent:${accent}`}>
            {b.logoUrl ? (
              <p style="margin:0 0 12px">
                <img class="brand-sample-logo" src={b.logoUrl} alt={b.shopName || 'Your shop'} />
              </p>
            ) : (
              <p style="margin:0 0 8px;font-weight:700;font-size:1.1rem">{b.shopName || 'Your shop'}</p>
            )}
            <p style="margin:0 0 12px">Trail Runner 2 is back in stock.</p>
            <span class="button" style="background:var(--preview-accent);border-color:var(--preview-accent)">
              Shop now
            </span>
            <p class="small" style="margin:12px 0 0">
              {/* biome-ignore lint/a11y/useValidAnchor: a sample link in the colour preview, going nowhere */}
              <a href="#" style="color:var(--preview-accent)">
                A link in the accent colour
              </a>
            </p>
            {b.footerText ? (
              <p class="small muted brand-sample-footer">{b.footerText}</p>
            ) : (
              <p class="small muted">No footer text yet: add your postal address.</p>
            )}
          </div>
          <div class="field" style="margin-top:16px">
            <label for="b-logo-file">Upload a logo</label>
            <input
              id="b-logo-file"
              type="file"
              accept="image/png,image/jpeg,image/webp"
              data-upload="POST /api/v1/admin/branding/logo"
              aria-describedby="b-logo-file-hint"
            />
            <p class="hint" id="b-logo-file-hint">
              PNG, JPEG or WebP, at most 512 KB. Stored and served by this service; replaces the logo URL.
            </p>
            <p class="small" role="status" aria-live="polite" id="b-logo-status"></p>
          </div>
        </section>
      </div>
    </>
  );
}
