/**
 * Email HTML as an iframe `srcdoc`, with a CSP of its own on top of the frame's empty `sandbox`
 * (no scripts, opaque origin): a template can neither run code nor load anything but https images.
 * Shared by the server-rendered pages and the editor script.
 */
export const frameCsp = "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'";

export function frameDoc(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${frameCsp}">`;
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (h) => `${h}${meta}`) : `${meta}${html}`;
}
