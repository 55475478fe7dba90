/**
 * Email (or hosted page) HTML as an iframe `srcdoc`, with a CSP of its own on top of the frame's
 * `sandbox` (never `allow-scripts`): the content can run no code and load only images — https ones,
 * data: ones, and the service's own (`serviceOrigin`, the origin of PUBLIC_BASE_URL, plain http in
 * development, serves the sample product picture) — plus https stylesheets and fonts, which is what
 * `<mj-font>` links (Google Fonts and the like), so the preview shows the email's real typeface.
 * Shared by the server-rendered pages and the editor scripts.
 */
const previewCsp = (serviceOrigin = '') =>
  `default-src 'none'; img-src https: data:${serviceOrigin ? ` ${serviceOrigin}` : ''}; style-src 'unsafe-inline' https:; font-src https: data:`;

export function previewDocument(html: string, serviceOrigin?: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${previewCsp(serviceOrigin)}">`;
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (h) => `${h}${meta}`) : `${meta}${html}`;
}
