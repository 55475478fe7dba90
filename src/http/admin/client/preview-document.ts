/**
 * Email (or hosted page) HTML as an iframe `srcdoc`, with a CSP of its own on top of the iframe's
 * empty `sandbox` (no scripts, opaque origin): the content can neither run code nor load anything but
 * images — https ones, data: ones, and the service's own (`serviceOrigin`, the origin of
 * PUBLIC_BASE_URL, which is plain http in development and serves the sample product picture).
 * Shared by the server-rendered pages and the editor scripts.
 */
const previewCsp = (serviceOrigin = '') => `default-src 'none'; img-src https: data:${serviceOrigin ? ` ${serviceOrigin}` : ''}; style-src 'unsafe-inline'`;

export function previewDocument(html: string, serviceOrigin?: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${previewCsp(serviceOrigin)}">`;
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (h) => `${h}${meta}`) : `${meta}${html}`;
}
