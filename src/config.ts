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
    for (const part of raw
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
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

/**
 * Every setting, in the order docs/configuration.md lists them: its schema (type, default, limits) and,
 * right beside it, `.describe('what it means')`. `npm run docs:config` generates docs/configuration.md
 * from this object (scripts/config-docs.ts) and fails on a setting without a description; CI fails when
 * the committed file is stale.
 */
export const EnvSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe(
      '`production` makes `APP_SECRET` mandatory, never seeds demo products and warns about development ' + 'settings.',
    ),
  PORT: int(3000, 0, 65535).describe('HTTP port.'),
  HOST: z.string().default('0.0.0.0').describe('Interface to listen on.'),
  PUBLIC_BASE_URL: optionalString
    .pipe(z.url().optional())
    .describe('Base of the links in emails and pages (confirm, unsubscribe); unset = `http://localhost:$PORT`.'),
  DATABASE_URL: optionalString
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
        .optional(),
    )
    .describe('PostgreSQL connection string (`postgres://…`); unset = the embedded PGlite database in `PGLITE_DIR`.'),
  DATABASE_POOL_SIZE: int(10, 1, 500).describe(
    'PostgreSQL connections per process. The signup batch runs as a named prepared statement: behind ' +
      'PgBouncer in transaction pooling mode use PgBouncer ≥ 1.21 with `max_prepared_statements` set.',
  ),
  DATABASE_PREPARED_STATEMENTS: bool(true).describe(
    '`false` runs postgres.js without named prepared statements (`prepare: false`): needed behind a transaction ' +
      'pooler (PgBouncer in transaction mode, RDS Proxy, Supavisor); see docs/poolers.md.',
  ),
  DATABASE_LISTEN_URL: optionalString
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
        .optional(),
    )
    .describe(
      'A direct (session) connection for LISTEN and the migration lock when `DATABASE_URL` goes through a ' +
        'transaction pooler; unset = `DATABASE_URL`.',
    ),
  PGLITE_DIR: z
    .string()
    .default('./data/pglite')
    .describe('Embedded database directory when `DATABASE_URL` is unset (`memory://` for a throwaway one).'),
  SMTP_URL: optionalString
    .pipe(
      z
        .string()
        .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
        .optional(),
    )
    .describe(
      'SMTP relay, e.g. `smtp://user:pass@host:587` (`smtps://` for implicit TLS); unset = every email ' +
        'is written as an `.eml` file to `MAILBOX_DIR`.',
    ),
  SMTP_MAX_CONNECTIONS: int(5, 1, 100).describe('Pooled SMTP connections per process.'),
  MAILBOX_DIR: z
    .string()
    .default('./data/mailbox')
    .describe(
      "Where the capture transport (no `SMTP_URL`) writes `.eml` files; the console's Mailbox page " + 'reads them.',
    ),
  MAIL_FROM: z
    .string()
    .min(3)
    .default('alerts@localhost')
    .describe('Sender of every email; without a display name of its own, the From header shows the shop name.'),
  SHOP_NAME: z.string().default('Our shop').describe('Shop name used in emails and pages.'),
  APP_SECRET: optionalString
    .pipe(z.string().min(32, 'must be at least 32 characters').optional())
    .describe(
      'Signs the tokens in links (≥ 32 characters). Unset outside production: one is generated into ' +
        '`./data/app-secret`; required when `NODE_ENV=production`; every process needs the same one.',
    ),
  API_TOKENS: apiTokens.describe(
    'Comma-separated `scope:token` pairs, scopes `inventory`, `admin`, `marketing`, e.g. ' +
      '`inventory:s3cr3t-token,admin:0th3r-token` (tokens ≥ 8 characters). Tokens made in the console ' +
      '(API tokens page) are accepted too.',
  ),
  SHOW_WAITLIST_COUNT: bool(false).describe(
    'Opt-in scarcity from real numbers: the widget and the hosted signup page say "N people are ' +
      'waiting for this" (confirmed subscriptions only; nothing when none), and the back-in-stock email ' +
      'says how many units came back.',
  ),
  METRICS_TOKEN: optionalString
    .pipe(z.string().min(8, 'must be at least 8 characters').optional())
    .describe(
      'Bearer token for `GET /metrics` (≥ 8 characters); unset = `/metrics` is open, so keep it off the ' +
        'public internet.',
    ),
  METRICS_PORT: optionalString
    .pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, 'must be a port number')
        .transform(Number)
        .refine((n) => n >= 1 && n <= 65535, 'must be 1–65535')
        .optional(),
    )
    .describe(
      'A `ROLE=worker` process (which serves no API) serves only `GET /metrics` on this port; give each ' +
        'worker on a host its own.',
    ),
  ADMIN_EMAIL: optionalString
    .pipe(z.email('must be an email address').optional())
    .describe(
      'First console admin, created on start when no user exists (set with `ADMIN_PASSWORD`, both or ' +
        'neither); changing it later changes nothing.',
    ),
  ADMIN_PASSWORD: optionalString
    .pipe(z.string().min(10, 'must be at least 10 characters').optional())
    .describe('Password of the first console admin (≥ 10 characters; see `ADMIN_EMAIL`).'),
  ADMIN_SESSION_HOURS: num(12, 0.01).describe('Console session idle lifetime (extended while used, at most 7 days).'),
  ADMIN_LOGIN_RATE_LIMIT_PER_IP: int(20).describe(
    'Failed console logins per client IP (all accounts) before each further attempt waits a growing delay (0 = off).',
  ),
  ADMIN_LOGIN_RATE_LIMIT_PER_ACCOUNT: int(5).describe(
    'Failed console logins per (account, client IP) before each further attempt waits a delay doubling from 30 s to ' +
      '15 min; a success clears it (0 = off).',
  ),
  DOUBLE_OPT_IN: bool(true).describe('Signups start `pending` until the shopper confirms from the email.'),
  CONFIRM_TOKEN_TTL_HOURS: num(48, 0.01).describe('How long a confirmation link stays valid.'),
  ALLOW_IP_LITERAL_EMAILS: bool(false).describe('Accept addresses like `user@[192.0.2.1]`.'),
  SIGNUP_RATE_LIMIT_PER_IP: int(10).describe('Signups per IP per minute (0 = off).'),
  SIGNUP_RATE_LIMIT_PER_EMAIL: int(3).describe('Signups per mailbox per 10 minutes (0 = off).'),
  SIGNUP_DAILY_CAP_PER_EMAIL: int(10).describe(
    'Signups (and so confirmation emails) per mailbox per 24 hours (0 = off).',
  ),
  TRUST_PROXY: bool(false).describe('Take the client IP from `X-Forwarded-For` (only behind a proxy you run).'),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const origins = raw
        .split(',')
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter(Boolean);
      for (const o of origins) {
        if (!/^https?:\/\/[^/\s]+$/.test(o))
          ctx.addIssue({
            code: 'custom',
            message: `"${o}" must be an origin like https://shop.example (scheme and host, no path)`,
          });
      }
      return origins;
    })
    .describe(
      'Comma-separated origins (e.g. `https://shop.example,https://www.shop.example`) whose pages may ' +
        'call `POST /api/v1/signups` and `GET /api/v1/products/{sku}/availability` from the browser ' +
        '(CORS); empty = same origin only.',
    ),
  BODY_LIMIT_BYTES: int(1024 * 1024, 1024).describe('Larger request bodies get 413.'),
  TEST_SEND_ALLOWED: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const entries = raw
        .split(',')
        .map((o) => o.trim().toLowerCase())
        .filter(Boolean);
      for (const e of entries) {
        if (!/^[^@\s]*@[a-z0-9.-]+\.[a-z]{2,}$/.test(e)) {
          ctx.addIssue({
            code: 'custom',
            message: `"${e}" must be an address (qa@shop.example) or a domain (@shop.example)`,
          });
        }
      }
      return entries;
    })
    .describe(
      "Extra addresses (or `@domain`s) template test sends may go to; a console user's own address always may.",
    ),
  TEST_SEND_RATE_LIMIT_PER_HOUR: int(20).describe(
    'Template test sends per console user or token per hour (0 = no limit).',
  ),
  DEMO_PAGE: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .describe('Serve `GET /demo` (the widget on a fake product page); unset = on in development, off in production.'),
  RENDER_THREADS: int(1, 1, 16).describe('Worker threads that compile MJML and render previews off the event loop.'),
  RENDER_TIMEOUT_MS: int(30_000, 100, 600_000).describe(
    'A compile or preview running longer is abandoned with the check error "took too long".',
  ),
  RENDER_MAX_KB: int(512, 200, 4096).describe('Larger template sources are refused with a check error.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('JSON lines on stdout. One line per HTTP request at `debug`; a request that took ≥ 1 s at `warn`.'),
  RESTOCK_MIN_QUANTITY: int(1, 1).describe('Quantity at which a SKU counts as in stock.'),
  RESTOCK_SETTLE_SECONDS: int(60).describe('A restock must hold this long before it counts.'),
  RESTOCK_COUNT_RETURNS: bool(false).describe('Count increases with reason `return` toward a restock.'),
  NOTIFY_PER_UNIT: z
    .union([z.literal('auto'), z.coerce.number().min(0, 'must be a number ≥ 0 or auto')], {
      message: 'must be a number ≥ 0 or auto',
    })
    .default(1)
    .describe(
      'Subscribers notified per available unit in a wave (0 = all at once), or `auto`: each next wave sized from ' +
        'the conversions of the earlier waves of the restock.',
    ),
  NOTIFY_AUTO_START_PER_UNIT: num(1).describe("`NOTIFY_PER_UNIT=auto`: the first wave's subscribers per unit."),
  NOTIFY_AUTO_RATE_FLOOR: z.coerce
    .number()
    .gt(0)
    .max(1)
    .default(0.02)
    .describe('`NOTIFY_PER_UNIT=auto`: the lowest conversion rate assumed when sizing the next wave.'),
  NOTIFY_AUTO_MIN_WAVE: int(5, 1).describe('`NOTIFY_PER_UNIT=auto`: the smallest wave.'),
  NOTIFY_AUTO_MAX_WAVE: int(5000, 1).describe('`NOTIFY_PER_UNIT=auto`: the largest wave.'),
  CLICK_TRACKING: bool(true).describe(
    'Product links in bulk emails go through `/r/{token}` (clicks counted); `false` links straight to the product.',
  ),
  ATTRIBUTION_WINDOW_DAYS: num(7, 0).describe(
    'An order counts for the latest back-in-stock or ETA email for its SKU sent to the same mailbox this many days before it.',
  ),
  WAVE_INTERVAL_MINUTES: num(60, 0).describe('Time between waves while stock lasts.'),
  ETA_CHANGE_MIN_DAYS: int(1, 0).describe('Smallest ETA move that is announced to the waitlist.'),
  RESTOCK_SCAN_CRON: cronExpr
    .default('* * * * *')
    .describe('Restock / ETA detection schedule (a safety net: inventory writes wake the scan at once).'),
  SEND_CRON: cronExpr
    .default('*/10 * * * * *')
    .describe('Sender schedule (it also loops while work remains, and wakes on every queued delivery).'),
  SEND_RATE_PER_SECOND: num(0).describe('Cap on messages per second per process (0 = no cap).'),
  RETRY_BASE_SECONDS: num(60, 0).describe('First retry delay after a temporary failure (doubles, capped at 1 h).'),
  RETRY_MAX_ATTEMPTS: int(8, 1).describe(
    'Attempts before a delivery is marked failed after recipient-level temporary failures (4xx); ' +
      'connection-level failures do not count.',
  ),
  DELIVERY_LEASE_SECONDS: int(60, 1, 3600).describe(
    "How long a claimed delivery is held; renewed while it is being sent, so a crashed worker's rows " +
      'are sent by another worker at most this long after the crash.',
  ),
  DELIVERY_MAX_AGE_HOURS: num(72, 0.001).describe(
    'Queue lifetime: a delivery still unsent this long after it was queued fails (`expired`), like an ' +
      "MTA's give-up by age — this, not an attempt count, ends an SMTP outage's retries.",
  ),
  SHUTDOWN_TIMEOUT_SECONDS: num(10, 0.5).describe(
    'On SIGTERM/SIGINT the process drains and exits within this, whatever its clients do.',
  ),
  SHOPIFY_WEBHOOK_SECRET: optionalString.describe('Verifies `X-Shopify-Hmac-Sha256` on Shopify webhooks.'),
  SHOPIFY_SHOP_DOMAIN: optionalString
    .pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}$/i, 'must be a host name like shop.example or my-shop.myshopify.com')
        .optional(),
    )
    .describe(
      'The storefront host for product URLs from Shopify `products/update` (never the unsigned ' +
        '`X-Shopify-Shop-Domain` header); unset = the URL in the signed body, if any.',
    ),
  WOOCOMMERCE_WEBHOOK_SECRET: optionalString.describe('Verifies `X-WC-Webhook-Signature` on WooCommerce webhooks.'),
  INVENTORY_FEED_URL: optionalString.describe('CSV/JSON inventory feed (http(s) URL or file path) to poll.'),
  INVENTORY_FEED_CRON: cronExpr
    .default('*/15 * * * *')
    .describe('Inventory feed polling schedule (only with `INVENTORY_FEED_URL`).'),
  DKIM_DOMAIN: optionalString.describe(
    'DKIM signing domain (`DKIM_DOMAIN`, `DKIM_SELECTOR`, `DKIM_PRIVATE_KEY`: all three or none).',
  ),
  DKIM_SELECTOR: optionalString.describe('DKIM selector (see `DKIM_DOMAIN`).'),
  DKIM_PRIVATE_KEY: optionalString.describe(
    'DKIM private key, PEM (`\\n` in the value is accepted for newlines; see `DKIM_DOMAIN`).',
  ),
  ROLE: z
    .enum(['all', 'web', 'worker'])
    .default('all')
    .describe(
      '`web` (HTTP only), `worker` (scheduler and wake-ups only) or `all` (one process doing both; the ' +
        'choice on PGlite).',
    ),
  RETENTION_WEBHOOK_RECEIPTS_DAYS: int(30).describe(
    'Delete applied platform-webhook ids older than this (0 = keep forever).',
  ),
  RETENTION_INVENTORY_EVENTS_DAYS: int(180).describe(
    'Delete inventory history older than this, except what detection or a report needs (0 = keep ' + 'forever).',
  ),
  RETENTION_DELIVERIES_DAYS: int(90).describe(
    'Delete finished (`sent`, `failed`, `skipped`) deliveries last changed before this (0 = keep ' + 'forever).',
  ),
  RETENTION_CRON: cronExpr.default('43 3 * * *').describe('Retention job schedule.'),
  REPERMISSION_AFTER_DAYS: int(180).describe(
    'Active subscriptions waiting longer than this get one "still interested?" email (0 = off).',
  ),
  REPERMISSION_GRACE_DAYS: int(14, 1).describe('No "keep me" answer within this many days → unsubscribed.'),
  REPERMISSION_CRON: cronExpr.default('23 4 * * *').describe('Re-permission job schedule.'),
  DEFAULT_SHIP_DAYS: int(30, 0, 3650).describe(
    "Promised ship date (`orderedAt` + this; never extended by the product's ETA) when an order line comes " +
      'without one; at most 30 under `DELAY_POLICY=ftc` (16 CFR 435.2(a)(1)), 50 days apply with `creditApplied`.',
  ),
  DELAY_POLICY: z
    .enum(['ftc', 'notify-only'])
    .default('ftc')
    .describe('`ftc`: delay option notices with the consent rules of 16 CFR 435.2; `notify-only`: inform only.'),
  DELAY_SILENCE_CONSENT_DAYS: int(30, 0, 3650).describe(
    'A first, definite delay up to this long counts silence as consent (at most 30 under `DELAY_POLICY=ftc`: ' +
      'a start-up error otherwise).',
  ),
  DELAY_NOTICE_LEAD_DAYS: int(3, 1, 30).describe(
    'With no date backing a promise, the delay option is offered this many days before the promised date.',
  ),
  CREDIT_BILLING_CYCLE_DAYS: int(30, 1, 62).describe(
    'One billing cycle: the refund clock of a line whose buyer applied to the seller for credit.',
  ),
  ALLOCATION_ORDER: z
    .enum(['backorders-first', 'waitlist-first'])
    .default('backorders-first')
    .describe(
      'Arriving stock goes to open order lines first (`backorders-first`) or to the waitlist first ' +
        '(`waitlist-first`).',
    ),
  ORDER_EVENTS_WEBHOOK_URL: optionalString
    .pipe(z.url({ protocol: /^https?$/ }).optional())
    .describe('Where order events (`backorder.customer_waits`, …) are POSTed (needs `WEBHOOK_SIGNING_SECRET`).'),
  DEMAND_WEBHOOK_URL: optionalString
    .pipe(z.url({ protocol: /^https?$/ }).optional())
    .describe(
      'Where the daily demand summary (`demand.daily_summary`: waitlist size and growth per SKU) is ' +
        'POSTed (needs `WEBHOOK_SIGNING_SECRET`).',
    ),
  DEMAND_PUSH_CRON: z
    .string()
    .default('15 6 * * *')
    .describe('When the demand summary is sent (scheduled only with `DEMAND_WEBHOOK_URL`).'),
  WEBHOOK_SIGNING_SECRET: optionalString
    .pipe(z.string().min(16, 'must be at least 16 characters').optional())
    .describe(
      'Signs outbound webhooks (`X-Restock-Signature: sha256=…`, ≥ 16 characters); required when a ' +
        'webhook URL is set.',
    ),
});

/**
 * `prepare: false` (DATABASE_PREPARED_STATEMENTS=false) for a transaction pooler that cannot keep named
 * statements (PgBouncer < 1.21 or `max_prepared_statements = 0`, RDS Proxy, Supavisor in transaction
 * mode); `listenUrl` is a direct (session) connection for LISTEN, which a transaction pooler cannot carry.
 */
export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize: number; prepare?: boolean; listenUrl?: string }
  | { kind: 'pglite'; dir: string };
export type MailConfig = { kind: 'smtp'; url: string; maxConnections: number } | { kind: 'capture'; dir: string };

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
      ? {
          domainName: e.DKIM_DOMAIN,
          keySelector: e.DKIM_SELECTOR,
          privateKey: e.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n'),
        }
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
    /** MJML compiles run in this many worker threads; one past `timeoutMs` is abandoned; sources over `maxBytes` are refused. */
    render: { threads: e.RENDER_THREADS, timeoutMs: e.RENDER_TIMEOUT_MS, maxBytes: e.RENDER_MAX_KB * 1024 },
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
      /** A number (0 = all), or `auto`: each wave sized from the conversions of the earlier ones (size-next-wave.ts). */
      notifyPerUnit: e.NOTIFY_PER_UNIT as number | 'auto',
      /** NOTIFY_PER_UNIT=auto: wave 1's ratio, the lowest conversion rate assumed, the smallest and largest wave. */
      auto: {
        startPerUnit: e.NOTIFY_AUTO_START_PER_UNIT,
        rateFloor: e.NOTIFY_AUTO_RATE_FLOOR,
        minWave: e.NOTIFY_AUTO_MIN_WAVE,
        maxWave: e.NOTIFY_AUTO_MAX_WAVE,
      },
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
    repermission: {
      afterDays: e.REPERMISSION_AFTER_DAYS,
      graceDays: e.REPERMISSION_GRACE_DAYS,
      cron: e.REPERMISSION_CRON,
    },
    backorders: {
      defaultShipDays: e.DEFAULT_SHIP_DAYS,
      delayPolicy: e.DELAY_POLICY,
      silenceConsentDays: e.DELAY_SILENCE_CONSENT_DAYS,
      /** With no date backing a promise, the delay option is offered this many days before it. */
      noticeLeadDays: e.DELAY_NOTICE_LEAD_DAYS,
      /** One billing cycle: the refund clock of a line whose buyer applied to the seller for credit. */
      creditBillingCycleDays: e.CREDIT_BILLING_CYCLE_DAYS,
      allocationOrder: e.ALLOCATION_ORDER,
    },
    /** Outbound order events (backorder.customer_waits, …); absent = not sent. */
    orderEventsWebhook:
      e.ORDER_EVENTS_WEBHOOK_URL && e.WEBHOOK_SIGNING_SECRET
        ? { url: e.ORDER_EVENTS_WEBHOOK_URL, secret: e.WEBHOOK_SIGNING_SECRET }
        : undefined,
    /** The daily demand summary for purchasing (demand.daily_summary); absent = not sent. */
    demandWebhook:
      e.DEMAND_WEBHOOK_URL && e.WEBHOOK_SIGNING_SECRET
        ? { url: e.DEMAND_WEBHOOK_URL, secret: e.WEBHOOK_SIGNING_SECRET }
        : undefined,
    demandPushCron: e.DEMAND_PUSH_CRON,
    /** Results: product links in bulk emails go through /r/{token}; orders count for a notification this many days before. */
    results: { clickTracking: e.CLICK_TRACKING, attributionWindowDays: e.ATTRIBUTION_WINDOW_DAYS },
  };
}

/**
 * Under DELAY_POLICY=ftc no setting may break 16 CFR 435.2: the applicable time without a stated date is
 * thirty days (a)(1), and silence counts as consent only for a first delay of thirty days or less (b)(1)(ii).
 */
function delayPolicyProblems(e: z.infer<typeof EnvSchema>): string[] {
  if (e.DELAY_POLICY !== 'ftc') return [];
  const problems: string[] = [];
  if (e.DEFAULT_SHIP_DAYS > 30) {
    problems.push(
      `DEFAULT_SHIP_DAYS: ${e.DEFAULT_SHIP_DAYS} is more than the 30 days of 16 CFR 435.2(a)(1) (DELAY_POLICY=ftc)`,
    );
  }
  if (e.DELAY_SILENCE_CONSENT_DAYS > 30) {
    problems.push(
      `DELAY_SILENCE_CONSENT_DAYS: ${e.DELAY_SILENCE_CONSENT_DAYS} is more than the 30 days ` +
        'of 16 CFR 435.2(b)(1)(ii) (DELAY_POLICY=ftc)',
    );
  }
  return problems;
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
      problems.push(
        'PUBLIC_BASE_URL: must be an https:// URL when NODE_ENV=production (one-click unsubscribe links must be HTTPS, RFC 8058)',
      );
    }
    const dkimSet = [e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY].filter(Boolean).length;
    if (Boolean(e.ADMIN_EMAIL) !== Boolean(e.ADMIN_PASSWORD))
      problems.push('ADMIN_EMAIL, ADMIN_PASSWORD: set both or neither');
    if (dkimSet > 0 && dkimSet < 3)
      problems.push('DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY: set all three or none');
    if (e.ORDER_EVENTS_WEBHOOK_URL && !e.WEBHOOK_SIGNING_SECRET)
      problems.push('WEBHOOK_SIGNING_SECRET: required when ORDER_EVENTS_WEBHOOK_URL is set');
    if (e.NOTIFY_AUTO_MIN_WAVE > e.NOTIFY_AUTO_MAX_WAVE)
      problems.push('NOTIFY_AUTO_MIN_WAVE: must not exceed NOTIFY_AUTO_MAX_WAVE');
    if (e.DEMAND_WEBHOOK_URL && !e.WEBHOOK_SIGNING_SECRET)
      problems.push('WEBHOOK_SIGNING_SECRET: required when DEMAND_WEBHOOK_URL is set');
    problems.push(...delayPolicyProblems(e));
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return shape(parsed.data);
}
