import { createMessageFrame, slotMarker, type MessageFrame } from '../mail/message-frame.js';
import { slotValue, templateSpliceable } from '../mail/recipient-slots.js';
import type { CompiledTemplate, Renderer } from '../mail/render.js';

/** Bulk mail's per-recipient header: the recipient's own one-click link. Every other bulk header is shared. */
const RECIPIENT_HEADER = 'List-Unsubscribe';

/** An address nodemailer writes and derives its envelope from unchanged (anything else: per message). */
const PLAIN_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+$/;

type BulkMessage = {
  compiled: CompiledTemplate;
  /**
   * Identifies what every recipient of a frame has alike (template key, locale, the row's shared
   * variables text; branding is fixed for the pass): part of the frame cache key.
   */
  sharedKey: string;
  /** All variables of this message, exactly as the per-message path renders them. */
  vars: Record<string, unknown>;
  /** The variables that differ per recipient (the kind's `recipientVariables`, signed links, bulk mail's `unsubscribeUrl`): the slots. */
  names: readonly string[];
  /** Bulk mail's List-* fields; none for transactional mail. */
  headers: Record<string, string>;
  to: string;
  messageId: string;
};

/**
 * The frames of one send pass (message-frame.ts): one per template version, shared variables and
 * pattern of empty/non-empty recipient values, built on first use and kept for the pass (at most
 * `maxFrames`, oldest dropped first).
 */
export type BulkFrames = {
  /** The raw message, or undefined when it must take the per-message path (template or value not spliceable). */
  compose(m: BulkMessage): Buffer | undefined;
  readonly stats: { frames: number; spliced: number; fallback: number };
};

export function createBulkFrames(renderer: Renderer, from: string, maxFrames = 64): BulkFrames {
  const frames = new Map<string, MessageFrame | null>();
  const spliceable = new Map<string, boolean>();
  const stats = { frames: 0, spliced: 0, fallback: 0 };

  function frameFor(m: BulkMessage, pattern: string): MessageFrame | undefined {
    const key = `${m.compiled.hash}\0${m.sharedKey}\0${m.names.join(',')}\0${pattern}`;
    let frame = frames.get(key);
    if (frame === undefined) {
      const vars: Record<string, unknown> = { ...m.vars };
      for (const [i, n] of m.names.entries()) vars[n] = pattern[i] === '1' ? slotMarker(i) : '';
      const headers = Object.fromEntries(Object.entries(m.headers).filter(([k]) => k !== RECIPIENT_HEADER));
      frame = createMessageFrame({ from, rendered: renderer.render(m.compiled, vars), headers }) ?? null;
      if (frames.size >= maxFrames) frames.delete(frames.keys().next().value as string);
      frames.set(key, frame);
      stats.frames += 1;
    }
    return frame ?? undefined;
  }

  return {
    stats,
    compose(m) {
      const fallback = () => {
        stats.fallback += 1;
        return undefined;
      };
      const sk = `${m.compiled.hash}\0${m.names.join(',')}`;
      let ok = spliceable.get(sk);
      if (ok === undefined) spliceable.set(sk, (ok = templateSpliceable(m.compiled.sources, m.names)));
      if (!ok || !PLAIN_ADDRESS.test(m.to)) return fallback();
      let pattern = '';
      const values: string[] = [];
      for (const n of m.names) {
        const v = slotValue(m.vars[n]);
        if (v === undefined) return fallback();
        pattern += v === 'empty' ? '0' : '1';
        values.push(v === 'empty' ? '' : v.value);
      }
      const frame = frameFor(m, pattern);
      if (!frame) return fallback();
      const own = m.headers[RECIPIENT_HEADER];
      stats.spliced += 1;
      return frame.build({
        to: m.to,
        messageId: m.messageId,
        values,
        headers: own === undefined ? undefined : { [RECIPIENT_HEADER]: own },
      });
    },
  };
}
