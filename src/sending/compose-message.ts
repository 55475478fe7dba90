import type { Deps } from '../deps.js';
import type { PublishedTemplate, PublishedTemplates } from '../domain/templates/load-published-templates.js';
import { unsubscribeUrl } from '../domain/subscriptions/tokens.js';
import { bulkHeaders, deliveryMessageId, senderFor } from '../mail/headers.js';
import type { SendResult } from '../mail/mailer.js';
import type { CompiledTemplate, Renderer } from '../mail/render.js';
import type { SendGate } from './send-gate.js';
import type { TransportBreaker } from './transport-breaker.js';
import { createBulkFrames, type BulkFrames } from './bulk-frames.js';
import { signedLinks } from './signed-links.js';
import { trackProductLink } from './tracked-links.js';
import type { ClaimedDelivery } from '../ledger/claim-deliveries.js';
import type { DeliveryKind } from '../ledger/kinds/index.js';

/** What a send pass holds fixed while it runs: templates, branding, compiles, frames, the gate and breaker. */
export type SendContext = {
  deps: Deps;
  renderer: Renderer;
  templates: PublishedTemplates;
  /** Compiled templates by version id (saves hashing the MJML per message). */
  compiled: Map<number, Promise<CompiledTemplate>>;
  /** Parsed shared variables by their text (claim-deliveries.ts). */
  shared: Map<string, Record<string, unknown>>;
  frames: BulkFrames;
  /** false: every message composed per message (the reference path of the equality tests). */
  composeOnce: boolean;
  branding: Record<string, string>;
  /** The From header of this pass's messages (senderFor: MAIL_FROM, or the shop's name at its address). */
  from: string;
  domain: string;
  gate: SendGate;
  breaker: TransportBreaker;
};

/**
 * Frames kept from one pass to the next (one per sender lane; a lane runs one pass at a time): a
 * double opt-in confirmation often goes out in a pass of its own, and building its frame afresh each
 * time would cost more than composing it per message. Reused only while the From header and branding
 * (the frame's baked-in variables beside the frame key) are unchanged; templates are keyed by content.
 */
export type FrameCache = { fingerprint?: string; frames?: BulkFrames };

export function createSendContext(
  deps: Deps,
  options: { renderer: Renderer; composeOnce?: boolean; frameCache?: FrameCache },
  templates: PublishedTemplates,
  branding: Record<string, string>,
  fixed: { domain: string; gate: SendGate; breaker: TransportBreaker },
): SendContext {
  // The branding's shop name is the sender's display name (unless MAIL_FROM names one itself).
  const from = senderFor(deps.config.mailFrom, branding.shopName ?? deps.config.shopName);
  const cache = options.frameCache;
  const fingerprint = JSON.stringify([from, branding]);
  let frames = cache?.fingerprint === fingerprint ? cache.frames : undefined;
  if (!frames) {
    frames = createBulkFrames(options.renderer, from);
    if (cache) Object.assign(cache, { fingerprint, frames });
  }
  return {
    deps,
    renderer: options.renderer,
    templates,
    compiled: new Map(),
    shared: new Map(),
    frames,
    from,
    composeOnce: options.composeOnce ?? true,
    branding,
    ...fixed,
  };
}

/**
 * Builds the row's message and returns how to send it. Kinds that declare `recipientVariables` (bulk
 * waves, and the double opt-in confirmation) are composed once per frame and spliced per recipient
 * (bulk-frames.ts) whenever the template and the recipient's values allow it; everything else is
 * rendered and composed per message. Both paths see the same variables, so a recipient gets the same
 * email either way (test/mail/message-frame.test.ts).
 */
export async function composeMessage(
  ctx: SendContext,
  row: ClaimedDelivery,
  kind: DeliveryKind,
  template: PublishedTemplate,
): Promise<() => Promise<SendResult>> {
  const { deps } = ctx;
  const { config } = deps;
  let compiled = ctx.compiled.get(template.id);
  if (!compiled)
    ctx.compiled.set(
      template.id,
      (compiled = ctx.renderer.compile({ subject: template.subject, mjml: template.mjml })),
    );
  const bulk = kind.lane === 'bulk';
  const unsubscribe =
    bulk && row.subscriptionId ? unsubscribeUrl(config.publicBaseUrl, config.appSecret, row.subscriptionId) : undefined;
  // Dates follow the language of the template actually picked (a de recipient on the en fallback reads English).
  const locale = template.locale === 'default' ? 'en' : template.locale;
  // Order links are signed now, never stored (signed-links.ts); they replace a stored one of an older build.
  const signed = signedLinks(config, row, kind);
  const base = {
    ...sharedVariables(ctx, row.sharedVariables),
    ...row.variables,
    ...signed,
    ...ctx.branding,
    locale,
    unsubscribeUrl: unsubscribe,
  };
  const { vars, perRecipient } = bulk ? trackProductLink(config, row, base) : { vars: base, perRecipient: [] };
  const messageId = deliveryMessageId(row.id, ctx.domain);
  const headers = bulk
    ? bulkHeaders({
        unsubscribeUrl: unsubscribe,
        templateKey: row.templateKey,
        shopName: ctx.branding.shopName ?? config.shopName,
        domain: ctx.domain,
      })
    : undefined;
  const c = await compiled;
  if (ctx.composeOnce && kind.recipientVariables) {
    // Every variable that can differ between two rows of one frame is a slot; the rest is the frame
    // key (template, locale, template key, the shared variables' text; branding and sender are the pass's).
    const names = [
      ...kind.recipientVariables,
      ...Object.keys(signed),
      ...(bulk ? ['unsubscribeUrl'] : []),
      ...perRecipient,
    ];
    const raw = ctx.frames.compose({
      compiled: c,
      sharedKey: `${template.id}|${locale}|${row.templateKey}|${row.sharedVariables}`,
      vars,
      names,
      // Transactional mail carries no List-* header fields.
      headers: headers ?? {},
      to: row.recipient,
      messageId,
    });
    if (raw) return () => deps.mailer.sendRaw({ raw, to: row.recipient, messageId });
  }
  const message = { to: row.recipient, from: ctx.from, ...ctx.renderer.render(c, vars), messageId, headers };
  return () => deps.mailer.send(message);
}

/** A wave's shared variables, parsed once per distinct text per pass (at most 256 kept). */
function sharedVariables(ctx: SendContext, text: string | null): Record<string, unknown> | undefined {
  if (text === null) return undefined;
  let parsed = ctx.shared.get(text);
  if (!parsed) {
    parsed = JSON.parse(text) as Record<string, unknown>;
    if (ctx.shared.size >= 256) ctx.shared.clear();
    ctx.shared.set(text, parsed);
  }
  return parsed;
}
