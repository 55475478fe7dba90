import { z } from 'zod';

/**
 * Configuration is data: one zod schema over the environment, parsed by a pure `loadConfig(env)`.
 * Nothing here reads `process.env`, touches the disk or exits; `main.ts` does that.
 */

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const num = (fallback: number, min = 0) => z.coerce.number().min(min).default(fallback);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

export const Scope = z.enum(['inventory', 'admin', 'marketing']);
export type Scope = z.infer<typeof Scope>;

const apiTokens = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const tokens: { scope: Scope; token: string }[] = [];
    for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
      const idx = part.indexOf(':');
      const scope = Scope.safeParse(part.slice(0, idx));
      const token = part.slice(idx + 1);
      if (idx < 1 || !scope.success || token.length < 8) {
        ctx.addIssue({
          code: 'custom',
          message: `"${part.slice(0, Math.max(idx, 0)) || '?'}:…" must be scope:token with scope inventory|admin|marketing and a token of 8+ characters`,
        });
        continue;
      }
      tokens.push({ scope: scope.data, token });
    }
    return tokens;
  });

const cronExpr = z.string().regex(/^(\S+\s+){4,5}\S+$/, 'must be a 5- or 6-field cron expression');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_BASE_URL: optionalString.pipe(z.url().optional()),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  DATABASE_POOL_SIZE: int(10, 1, 500),
  DATABASE_PREPARED_STATEMENTS: bool(true),
  DATABASE_LISTEN_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  PGLITE_DIR: z.string().default('./data/pglite'),
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
  ),
  SMTP_MAX_CONNECTIONS: int(5, 1, 100),
  MAILBOX_DIR: z.string().default('./data/mailbox'),
  MAIL_FROM: z.string().min(3).default('Restock alerts <alerts@localhost>'),
  SHOP_NAME: z.string().default('Our shop'),
  APP_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  API_TOKENS: apiTokens,
  SHOW_WAITLIST_COUNT: bool(false),
  METRICS_TOKEN: optionalString.pipe(z.string().min(8, 'must be at least 8 characters').optional()),
  METRICS_PORT: optionalString.pipe(
    z.string().regex(/^\d{1,5}$/, 'must be a port number').transform(Number).refine((n) => n >= 1 && n <= 65535, 'must be 1–65535').optional(),
  ),
  ADMIN_EMAIL: optionalString.pipe(z.email('must be an email address').optional()),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(10, 'must be at least 10 characters').optional()),
  ADMIN_SESSION_HOURS: num(12, 0.01),
  ADMIN_LOGIN_RATE_LIMIT_PER_IP: int(20),
  ADMIN_LOGIN_RATE_LIMIT_PER_ACCOUNT: int(5),
  DOUBLE_OPT_IN: bool(true),
  CONFIRM_TOKEN_TTL_HOURS: num(48, 0.01),
  ALLOW_IP_LITERAL_EMAILS: bool(false),
  SIGNUP_RATE_LIMIT_PER_IP: int(10),
  SIGNUP_RATE_LIMIT_PER_EMAIL: int(3),
  SIGNUP_DAILY_CAP_PER_EMAIL: int(10),
  TRUST_PROXY: bool(false),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const origins = raw.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
      for (const o of origins) {
        if (!/^https?:\/\/[^/\s]+$/.test(o)) ctx.addIssue({ code: 'custom', message: `"${o}" must be an origin like https://shop.example (scheme and host, no path)` });
      }
      return origins;
    }),
  TEST_SEND_ALLOWED: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const entries = raw.split(',').map((o) => o.trim().toLowerCase()).filter(Boolean);
      for (const e of entries) {
        if (!/^[^@\s]*@[a-z0-9.-]+\.[a-z]{2,}$/.test(e)) ctx.addIssue({ code: 'custom', message: `"${e}" must be an address (qa@shop.example) or a domain (@shop.example)` });
      }
      return entries;
    }),
  TEST_SEND_RATE_LIMIT_PER_HOUR: int(20),
  DEMO_PAGE: z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional(),
  BODY_LIMIT_BYTES: int(1024 * 1024, 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RESTOCK_MIN_QUANTITY: int(1, 1),
  RESTOCK_SETTLE_SECONDS: int(60),
  RESTOCK_COUNT_RETURNS: bool(false),
  NOTIFY_PER_UNIT: num(1),
  WAVE_INTERVAL_MINUTES: num(60, 0),
  ETA_CHANGE_MIN_DAYS: int(1, 0),
  RESTOCK_SCAN_CRON: cronExpr.default('* * * * *'),
  SEND_CRON: cronExpr.default('*/10 * * * * *'),
  SEND_RATE_PER_SECOND: num(0),
  RETRY_BASE_SECONDS: num(60, 0),
  RETRY_MAX_ATTEMPTS: int(8, 1),
  DELIVERY_LEASE_SECONDS: int(60, 1, 3600),
  DELIVERY_MAX_AGE_HOURS: num(72, 0.001),
  SHUTDOWN_TIMEOUT_SECONDS: num(10, 0.5),
  SHOPIFY_WEBHOOK_SECRET: optionalString,
  SHOPIFY_SHOP_DOMAIN: optionalString.pipe(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}$/i, 'must be a host name like shop.example or my-shop.myshopify.com')
      .optional(),
  ),
  WOOCOMMERCE_WEBHOOK_SECRET: optionalString,
  INVENTORY_FEED_URL: optionalString,
  INVENTORY_FEED_CRON: cronExpr.default('*/15 * * * *'),
  DKIM_DOMAIN: optionalString,
  DKIM_SELECTOR: optionalString,
  DKIM_PRIVATE_KEY: optionalString,
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  RETENTION_WEBHOOK_RECEIPTS_DAYS: int(30),
  RETENTION_INVENTORY_EVENTS_DAYS: int(180),
  RETENTION_DELIVERIES_DAYS: int(90),
  RETENTION_CRON: cronExpr.default('43 3 * * *'),
  REPERMISSION_AFTER_DAYS: int(180),
  REPERMISSION_GRACE_DAYS: int(14, 1),
  REPERMISSION_CRON: cronExpr.default('23 4 * * *'),
  DEFAULT_SHIP_DAYS: int(30, 0, 3650),
  DELAY_POLICY: z.enum(['ftc', 'notify-only']).default('ftc'),
  DELAY_SILENCE_CONSENT_DAYS: int(30, 0, 3650),
  ALLOCATION_ORDER: z.enum(['backorders-first', 'waitlist-first']).default('backorders-first'),
  ORDER_EVENTS_WEBHOOK_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  DEMAND_WEBHOOK_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  DEMAND_PUSH_CRON: z.string().default('15 6 * * *'),
  WEBHOOK_SIGNING_SECRET: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
});

/**
 * `prepare: false` (DATABASE_PREPARED_STATEMENTS=false) for a transaction pooler that cannot keep named
 * statements (PgBouncer < 1.21 or `max_prepared_statements = 0`, RDS Proxy, Supavisor in transaction
 * mode); `listenUrl` is a direct (session) connection for LISTEN, which a transaction pooler cannot carry.
 */
export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize: number; prepare?: boolean; listenUrl?: string }
  | { kind: 'pglite'; dir: string };
export type MailConfig =
  | { kind: 'smtp'; url: string; maxConnections: number }
  | { kind: 'capture'; dir: string };

export type Config = ReturnType<typeof shape>;

function shape(e: z.infer<typeof EnvSchema>) {
  const database: DatabaseConfig = e.DATABASE_URL
    ? {
        kind: 'postgres',
        url: e.DATABASE_URL,
        poolSize: e.DATABASE_POOL_SIZE,
        prepare: e.DATABASE_PREPARED_STATEMENTS,
        ...(e.DATABASE_LISTEN_URL ? { listenUrl: e.DATABASE_LISTEN_URL } : {}),
      }
    : { kind: 'pglite', dir: e.PGLITE_DIR };
  const mail: MailConfig = e.SMTP_URL
    ? { kind: 'smtp', url: e.SMTP_URL, maxConnections: e.SMTP_MAX_CONNECTIONS }
    : { kind: 'capture', dir: e.MAILBOX_DIR };
  const dkim =
    e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY
      ? { domainName: e.DKIM_DOMAIN, keySelector: e.DKIM_SELECTOR, privateKey: e.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n') }
      : undefined;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    database,
    mail,
    mailFrom: e.MAIL_FROM,
    shopName: e.SHOP_NAME,
    /** Unset outside production: `main.ts` generates and stores one (see `ensureAppSecret`). */
    appSecret: e.APP_SECRET,
    apiTokens: e.API_TOKENS,
    /** Bearer token for GET /metrics; unset = /metrics is open (bind it to a private network then). */
    metricsToken: e.METRICS_TOKEN,
    /** A `ROLE=worker` process opens no HTTP port; with this set it serves only GET /metrics there. */
    metricsPort: e.METRICS_PORT,
    /** Opt-in scarcity, from real numbers only: "N people are waiting" on the widget and the hosted page. */
    showWaitlistCount: e.SHOW_WAITLIST_COUNT,
    admin: {
      /** First admin, created on start when no user exists (both or neither). */
      email: e.ADMIN_EMAIL,
      password: e.ADMIN_PASSWORD,
      /** Idle lifetime of a console session; the absolute limit is 7 days. */
      sessionHours: e.ADMIN_SESSION_HOURS,
      /**
       * Failed logins allowed per client IP (all accounts) and per (account, client IP) before each
       * further attempt waits a delay doubling from 30 s to 15 min; a success clears its pair (0 = off).
       */
      loginRateLimitPerIp: e.ADMIN_LOGIN_RATE_LIMIT_PER_IP,
      loginRateLimitPerAccount: e.ADMIN_LOGIN_RATE_LIMIT_PER_ACCOUNT,
    },
    /**
     * Template test sends go to the console user's own address or to these (addresses, or `@domain`
     * for a whole domain); at most `ratePerHour` per user or token (0 = no limit).
     */
    testSend: { allowed: e.TEST_SEND_ALLOWED, ratePerHour: e.TEST_SEND_RATE_LIMIT_PER_HOUR },
    /** GET /demo (a fake product page showing the widget): default on in development, off in production. */
    demoPage: e.DEMO_PAGE === undefined ? e.NODE_ENV !== 'production' : ['true', '1', 'yes'].includes(e.DEMO_PAGE),
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    logLevel: e.LOG_LEVEL,
    role: e.ROLE,
    /** SIGTERM → exit within this, whatever clients do (connections still open at the end are cut). */
    shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS,
    signup: {
      doubleOptIn: e.DOUBLE_OPT_IN,
      confirmTokenTtlHours: e.CONFIRM_TOKEN_TTL_HOURS,
      allowIpLiteralEmails: e.ALLOW_IP_LITERAL_EMAILS,
      rateLimitPerIp: e.SIGNUP_RATE_LIMIT_PER_IP,
      rateLimitPerEmail: e.SIGNUP_RATE_LIMIT_PER_EMAIL,
      /** Signups per mailbox per 24 h (0 = off): caps confirmation emails one address can be sent. */
      dailyCapPerEmail: e.SIGNUP_DAILY_CAP_PER_EMAIL,
      trustProxy: e.TRUST_PROXY,
    },
    /** Origins allowed to call the signup and availability APIs from a browser; empty = same origin only. */
    allowedOrigins: e.ALLOWED_ORIGINS,
    restock: {
      minQuantity: e.RESTOCK_MIN_QUANTITY,
      settleSeconds: e.RESTOCK_SETTLE_SECONDS,
      countReturns: e.RESTOCK_COUNT_RETURNS,
      notifyPerUnit: e.NOTIFY_PER_UNIT,
      waveIntervalMinutes: e.WAVE_INTERVAL_MINUTES,
      etaChangeMinDays: e.ETA_CHANGE_MIN_DAYS,
    },
    cron: {
      restockScan: e.RESTOCK_SCAN_CRON,
      send: e.SEND_CRON,
      inventoryFeed: e.INVENTORY_FEED_CRON,
    },
    send: {
      ratePerSecond: e.SEND_RATE_PER_SECOND,
      retryBaseSeconds: e.RETRY_BASE_SECONDS,
      retryMaxAttempts: e.RETRY_MAX_ATTEMPTS,
      /** How long a claim holds a row; renewed while the row is worked, so a dead worker's rows return after at most this. */
      leaseSeconds: e.DELIVERY_LEASE_SECONDS,
      /** Queue lifetime: a delivery still unsent this long after it was queued fails (an MTA's give-up by age). */
      maxAgeHours: e.DELIVERY_MAX_AGE_HOURS,
      dkim,
    },
    webhooks: {
      shopifySecret: e.SHOPIFY_WEBHOOK_SECRET,
      /** The storefront host for product URLs from products/update (the shop-domain header is not signed). */
      shopifyShopDomain: e.SHOPIFY_SHOP_DOMAIN,
      woocommerceSecret: e.WOOCOMMERCE_WEBHOOK_SECRET,
    },
    inventoryFeedUrl: e.INVENTORY_FEED_URL,
    /** Days rows are kept before the retention job deletes them; 0 = keep forever. */
    retention: {
      webhookReceiptsDays: e.RETENTION_WEBHOOK_RECEIPTS_DAYS,
      inventoryEventsDays: e.RETENTION_INVENTORY_EVENTS_DAYS,
      deliveriesDays: e.RETENTION_DELIVERIES_DAYS,
      cron: e.RETENTION_CRON,
    },
    /** "Still interested?": ask after `afterDays` of waiting (0 = off), unsubscribe after `graceDays` without an answer. */
    repermission: { afterDays: e.REPERMISSION_AFTER_DAYS, graceDays: e.REPERMISSION_GRACE_DAYS, cron: e.REPERMISSION_CRON },
    backorders: {
      defaultShipDays: e.DEFAULT_SHIP_DAYS,
      delayPolicy: e.DELAY_POLICY,
      silenceConsentDays: e.DELAY_SILENCE_CONSENT_DAYS,
      allocationOrder: e.ALLOCATION_ORDER,
    },
    /** Outbound order events (backorder.customer_waits, …); absent = not sent. */
    orderEventsWebhook: e.ORDER_EVENTS_WEBHOOK_URL && e.WEBHOOK_SIGNING_SECRET ? { url: e.ORDER_EVENTS_WEBHOOK_URL, secret: e.WEBHOOK_SIGNING_SECRET } : undefined,
    /** The daily demand summary for purchasing (demand.daily_summary); absent = not sent. */
    demandWebhook: e.DEMAND_WEBHOOK_URL && e.WEBHOOK_SIGNING_SECRET ? { url: e.DEMAND_WEBHOOK_URL, secret: e.WEBHOOK_SIGNING_SECRET } : undefined,
    demandPushCron: e.DEMAND_PUSH_CRON,
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment into a typed `Config`.
 * @throws ConfigError listing every problem at once (never just the first).
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.') || '(env)'}: ${issue.message}`);
    }
  } else {
    const e = parsed.data;
    if (e.NODE_ENV === 'production' && !e.APP_SECRET) problems.push('APP_SECRET: required when NODE_ENV=production');
    // RFC 8058 §3.1: the List-Unsubscribe-Post URI "MUST be an HTTPS URI"; every link in every email starts here.
    if (e.NODE_ENV === 'production' && e.PUBLIC_BASE_URL && !/^https:\/\//i.test(e.PUBLIC_BASE_URL)) {
      problems.push('PUBLIC_BASE_URL: must be an https:// URL when NODE_ENV=production (one-click unsubscribe links must be HTTPS, RFC 8058)');
    }
    const dkimSet = [e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY].filter(Boolean).length;
    if (Boolean(e.ADMIN_EMAIL) !== Boolean(e.ADMIN_PASSWORD)) problems.push('ADMIN_EMAIL, ADMIN_PASSWORD: set both or neither');
    if (dkimSet > 0 && dkimSet < 3) problems.push('DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY: set all three or none');
    if (e.ORDER_EVENTS_WEBHOOK_URL && !e.WEBHOOK_SIGNING_SECRET) problems.push('WEBHOOK_SIGNING_SECRET: required when ORDER_EVENTS_WEBHOOK_URL is set');
    if (e.DEMAND_WEBHOOK_URL && !e.WEBHOOK_SIGNING_SECRET) problems.push('WEBHOOK_SIGNING_SECRET: required when DEMAND_WEBHOOK_URL is set');
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return shape(parsed.data);
}
