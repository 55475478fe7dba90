import type { Config } from './config.js';
import { NO_TOKENS_MESSAGE } from './http/auth.js';

export type UsefulUrl = { label: string; url: string };

/**
 * Pure: the URLs worth printing at start-up — the admin console, the API reference and, in
 * development, a signup page for a demo product (`demoSku`, when the demo catalogue is there).
 */
export function usefulUrls(config: Pick<Config, 'env'>, baseUrl: string, demoSku?: string): UsefulUrl[] {
  const urls: UsefulUrl[] = [
    { label: 'admin console', url: `${baseUrl}/admin` },
    { label: 'API reference', url: `${baseUrl}/docs` },
  ];
  if (config.env === 'development' && demoSku)
    urls.push({ label: 'demo signup page', url: `${baseUrl}/signup/${demoSku}` });
  return urls;
}

/**
 * Pure: every setting that is missing or risky for the way this process runs, one message each, so
 * main.ts can log each once (the only place they are logged). `appSecretGenerated`: APP_SECRET was not
 * configured and the one generated in the data directory is used; `consoleTokens`: API tokens made in
 * the console exist (then an empty API_TOKENS is no problem).
 */
export function startupWarnings(
  config: Config,
  options: { appSecretGenerated: boolean; consoleTokens?: boolean },
): string[] {
  const warnings: string[] = [];
  const production = config.env === 'production';
  if (config.apiTokens.length === 0 && !options.consoleTokens) warnings.push(NO_TOKENS_MESSAGE);
  if (production && config.mail.kind === 'capture') {
    warnings.push(
      `SMTP_URL is not set: with NODE_ENV=production every email is only written as a file into ${config.mail.dir} and nobody receives it. Set SMTP_URL.`,
    );
  }
  if (production && /^https?:\/\/localhost[:/]/.test(`${config.publicBaseUrl}/`)) {
    warnings.push(
      `PUBLIC_BASE_URL is not set: links in emails (confirm, unsubscribe) point at ${config.publicBaseUrl}, which shoppers cannot reach. Set PUBLIC_BASE_URL to the service's public https:// address.`,
    );
  }
  if (options.appSecretGenerated && config.env !== 'test') {
    warnings.push(
      'APP_SECRET is not set: using a secret generated into data/app-secret. Fine for development; in production set APP_SECRET (it signs every link in every email, and all instances must share it).',
    );
  }
  if (config.database.kind === 'pglite' && config.role !== 'all') {
    warnings.push(
      `ROLE=${config.role} with the embedded database (DATABASE_URL not set): PGlite cannot be shared between processes, so no other role can reach this one's data. Use ROLE=all, or PostgreSQL.`,
    );
  }
  const fromDomain = /@([^@>\s]+)>?\s*$/.exec(config.mailFrom)?.[1]?.toLowerCase();
  const dkimDomain = config.send.dkim?.domainName.toLowerCase();
  if (fromDomain && dkimDomain && !aligned(fromDomain, dkimDomain)) {
    warnings.push(
      `MAIL_FROM's domain (${fromDomain}) is not aligned with DKIM_DOMAIN (${dkimDomain}): DMARC (RFC 7489 §3.1.1) needs the signing domain to be the From domain or share its organizational domain, so receivers treat these signatures as not the sender's. Sign with the From domain.`,
    );
  }
  if (production && !config.metricsToken && config.metricsPort === undefined) {
    warnings.push(
      'METRICS_TOKEN is not set: GET /metrics is open to anyone who can reach this port (queue sizes, send rates, error counts). Set METRICS_TOKEN, or METRICS_PORT on a private network.',
    );
  }
  if (production && config.database.kind === 'pglite') {
    warnings.push(
      'DATABASE_URL is not set: NODE_ENV=production on the embedded PGlite database (one process, no web/worker split). PostgreSQL is recommended for production.',
    );
  }
  return warnings;
}

/** DMARC relaxed alignment, approximated without the public suffix list: the same domain or one a subdomain of the other. */
function aligned(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}
