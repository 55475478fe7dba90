/**
 * The design tokens shared by the shopper pages' stylesheet (`/assets/app.css`) and the console's
 * (`/admin/assets/console.*.css`): one set of CSS custom properties, so colours, type and radius are
 * decided once. Branding overrides `--accent*` on the shopper pages only; the console keeps its own accent.
 */
export const designTokens = `:root{
  --accent:#1d4ed8;--accent-hover:#1e40af;--accent-contrast:#ffffff;
  --bg:#f4f5f7;--surface:#ffffff;--text:#111827;--muted:#4b5563;--border:#d1d5db;
  --danger:#b91c1c;--focus:#f59e0b;--radius:12px;
  --font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
}`;
