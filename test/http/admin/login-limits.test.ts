import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../src/domain/users/create-user.js';
import { createApp } from '../../../src/http/app.js';
import { loginDelayMs } from '../../../src/http/admin/login-limits.js';
import { ipLimitKey } from '../../../src/http/rate-limit.js';
import { createLogger } from '../../../src/log.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { uniqueEmail } from '../../helpers/signup-fixtures.js';
import { postLogin } from './console-helpers.js';

/**
 * Issue 21 point 2: login limits that cannot be turned on the owner. Only failures count, per
 * (account, IP) and per IP; growing delays instead of a lock; a success resets; IPv6 keys on the /64;
 * a failed login is logged with the account id and client IP, never the address.
 */
const lines: string[] = [];
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const PASSWORD = 'correct horse battery staple';
beforeAll(async () => {
  deps = await createTestDeps({
    log: createLogger('info', { write: (s: string) => void lines.push(s) }),
    env: { ADMIN_LOGIN_RATE_LIMIT_PER_ACCOUNT: '5', ADMIN_LOGIN_RATE_LIMIT_PER_IP: '8' },
  });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

async function owner(tag: string) {
  const email = uniqueEmail(tag);
  const user = await createUser(deps, { email, password: PASSWORD, role: 'admin' });
  return { email, id: (user as { id: number }).id };
}

describe('console login limits', () => {
  it('the finding: five wrong passwords from a stranger keep nobody else out', async () => {
    const { email } = await owner('owner');
    for (let i = 0; i < 7; i++) await postLogin(app, { email, password: 'wrong wrong wrong' }, '198.51.100.66');
    expect((await postLogin(app, { email, password: PASSWORD }, '192.0.2.10')).status).toBe(303);
  });

  it('the finding: successful logins do not count (three good logins and two typos, then a good one)', async () => {
    const { email } = await owner('typos');
    for (let i = 0; i < 3; i++)
      expect((await postLogin(app, { email, password: PASSWORD }, '192.0.2.11')).status).toBe(303);
    for (let i = 0; i < 2; i++)
      expect((await postLogin(app, { email, password: 'typo typo typo' }, '192.0.2.11')).status).toBe(401);
    expect((await postLogin(app, { email, password: PASSWORD }, '192.0.2.11')).status).toBe(303);
  });

  it('delays grow with each failure past the free ones (30 s, 60 s …) and a success resets them', async () => {
    const { email } = await owner('growing');
    const ip = '192.0.2.12';
    for (let i = 0; i < 5; i++)
      expect((await postLogin(app, { email, password: 'nope nope nope' }, ip)).status).toBe(401);
    // Seven failures: still under this IP's own limit (8), so the delays are the (account, IP) pair's.
    for (const delay of [30, 60]) {
      const early = await postLogin(app, { email, password: 'nope nope nope' }, ip);
      expect(early.status).toBe(429);
      expect(Number(early.headers.get('retry-after'))).toBe(delay);
      deps.clock.advance(delay * 1000);
      expect((await postLogin(app, { email, password: 'nope nope nope' }, ip)).status).toBe(401);
    }
    deps.clock.advance(120_000);
    expect((await postLogin(app, { email, password: PASSWORD }, ip)).status).toBe(303);
    // The pair is reset by the success; the IP's own count is forgotten an hour after its last failure.
    deps.clock.advance(61 * 60_000);
    for (let i = 0; i < 5; i++)
      expect((await postLogin(app, { email, password: 'nope nope nope' }, ip)).status).toBe(401);
    expect((await postLogin(app, { email, password: 'nope nope nope' }, ip)).status).toBe(429);
  });

  it('the delay never exceeds 15 minutes (no lock-out)', () => {
    expect(loginDelayMs(4, 5)).toBe(0);
    expect(loginDelayMs(5, 5)).toBe(30_000);
    expect(loginDelayMs(6, 5)).toBe(60_000);
    expect(loginDelayMs(500, 5)).toBe(15 * 60_000);
  });

  it('one IP spraying many accounts is slowed per IP; another IP is not', async () => {
    const ip = '198.51.100.77';
    for (let i = 0; i < 8; i++)
      expect((await postLogin(app, { email: uniqueEmail('spray'), password: 'Summer2026!' }, ip)).status).toBe(401);
    const { email } = await owner('sprayed');
    expect((await postLogin(app, { email, password: PASSWORD }, ip)).status).toBe(429);
    expect((await postLogin(app, { email, password: PASSWORD }, '192.0.2.13')).status).toBe(303);
  });

  it('IPv6: the whole /64 is one client for the per-IP limit (RFC 6177: a /64 per subnet)', async () => {
    for (let i = 1; i <= 8; i++) {
      expect(
        (
          await postLogin(
            app,
            { email: uniqueEmail('v6'), password: 'Winter2026!' },
            `2001:db8:aa:bb::${i.toString(16)}`,
          )
        ).status,
      ).toBe(401);
    }
    const { email } = await owner('v6owner');
    expect((await postLogin(app, { email, password: PASSWORD }, '2001:db8:aa:bb:ffff:1:2:3')).status).toBe(429);
    expect((await postLogin(app, { email, password: PASSWORD }, '2001:db8:aa:bc::1')).status).toBe(303);
  });

  it('ipLimitKey: IPv4 as is, IPv6 as its /64, IPv4-mapped as IPv4', () => {
    expect(ipLimitKey('203.0.113.9')).toBe('203.0.113.9');
    expect(ipLimitKey('2001:db8:aa:bb::1')).toBe('2001:db8:aa:bb::/64');
    expect(ipLimitKey('2001:0db8:00aa:00bb:1234:5678:9abc:def0')).toBe('2001:db8:aa:bb::/64');
    expect(ipLimitKey('2001:DB8:AA:BB:1:2:3:4')).toBe('2001:db8:aa:bb::/64');
    expect(ipLimitKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(ipLimitKey('::1')).toBe('0:0:0:0::/64');
    expect(ipLimitKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('a failed login is logged with the account id and client IP, never the address', async () => {
    const { email, id } = await owner('logged');
    const before = lines.length;
    await postLogin(app, { email, password: 'wrong again wrong' }, '192.0.2.200');
    const failed = lines
      .slice(before)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.event === 'admin-login-failed');
    expect(failed).toMatchObject({ userId: id, ip: '192.0.2.200' });
    expect(lines.slice(before).join('\n')).not.toContain(email);
    const unknownBefore = lines.length;
    await postLogin(app, { email: uniqueEmail('stranger'), password: 'whatever it is' }, '192.0.2.201');
    const unknown = lines
      .slice(unknownBefore)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.event === 'admin-login-failed');
    expect(unknown).toMatchObject({ userId: null, ip: '192.0.2.201' });
  });
});
