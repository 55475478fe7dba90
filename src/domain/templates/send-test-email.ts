import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { senderFor } from '../../mail/headers.js';
import type { Renderer } from '../../mail/render.js';
import { getBranding } from '../branding/get-branding.js';
import { blocking, type Check } from './check-template.js';
import { evaluateTemplate } from './evaluate-template.js';
import { getTemplate } from './get-template.js';
import { PAGES_KEY } from './template-versions.js';
import { assertTestSendAllowed, type TestSendCaller } from './test-send-policy.js';

const TestSendInput = z.object({ to: z.email().max(254).optional(), sku: z.string().min(1).max(200).optional() });

/**
 * Sends the current draft (else the published version) of an email to one address through the real
 * mailer — SMTP, or the dev mailbox under capture — with example data and `[TEST]` before the
 * subject. `to` defaults to the logged-in user; only staff addresses are allowed (test-send-policy.ts).
 * Nothing is recorded in the delivery ledger.
 * @throws AppError VALIDATION (no address), BAD_REQUEST (pages), FORBIDDEN / RATE_LIMITED (policy),
 *   TEMPLATE_INVALID (MJML does not compile, or a check at level error blocks the draft).
 */
export async function sendTestEmail(
  deps: Pick<Deps, 'db' | 'config' | 'mailer' | 'clock'> & { renderer: Renderer },
  input: { caller: TestSendCaller; key: string; locale: string; body: unknown },
): Promise<{ to: string; subject: string; version: number; messageId: string; checks: Check[] }> {
  const { caller, key, locale } = input;
  if (key === PAGES_KEY) throw new AppError('BAD_REQUEST', 'The pages catalogue is not an email; preview it instead.');
  const parsed = TestSendInput.safeParse(input.body ?? {});
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The test send is not valid.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const to = parsed.data.to ?? caller.email;
  if (!to)
    throw new AppError('VALIDATION', 'Say where to send the test (`to`): a token has no address of its own.', {
      details: [{ path: 'to', message: 'required' }],
    });
  await assertTestSendAllowed(deps, { caller, to });
  const t = await getTemplate(deps, { key, locale });
  const { subject, html, text, checks } = await evaluateTemplate(deps, {
    ref: { key, locale },
    content: t,
    declared: t.variables,
    sku: parsed.data.sku,
  });
  // Every blocking check (the ones that stop publishing) stops a test send too.
  const broken = blocking(checks);
  if (broken.length > 0 || html === '')
    throw new AppError('TEMPLATE_INVALID', 'The draft has blocking errors; fix them first.', { details: broken });
  const testSubject = `[TEST] ${subject}`;
  const from = senderFor(deps.config.mailFrom, (await getBranding(deps)).shopName); // as the real sends show it
  const info = await deps.mailer.send({
    to,
    from,
    subject: testSubject,
    html,
    text,
    headers: { 'X-Restock-Test': `${key}/${locale} v${t.version}` },
  });
  return { to, subject: testSubject, version: t.version, messageId: info.messageId, checks };
}
