import { serveParent } from './lib/child.js';
import { measureSmtpBound, type BoundMessage } from './lib/smtp-bound.js';

/** Child process for U_smtp, so the bound is measured in the same kind of process as the sender. */
serveParent({
  smtpBound: (args: { url: string; connections: number; count: number; message: BoundMessage; maxMessages?: number }) =>
    measureSmtpBound(args),
  rss: () => ({ maxRssKb: process.resourceUsage().maxRSS, rss: process.memoryUsage().rss }),
});
