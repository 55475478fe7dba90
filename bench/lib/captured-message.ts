import { simpleParser } from 'mailparser';
import type { BoundMessage } from './smtp-bound.js';

/** Header fields nodemailer writes itself for every message (or that name the recipient). */
const OWN = new Set([
  'from',
  'to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

/**
 * A message the service sent to the sink (its raw bytes, sink.captured()), taken apart into what
 * nodemailer composes from: the same From (display name and address), subject, HTML, text and extra
 * header fields (List-Unsubscribe, List-Unsubscribe-Post, List-Id), values as they were on the wire
 * (unfolded). U_smtp then sends this message, composed by nodemailer per message, over and over.
 */
export async function boundMessageFromRaw(raw: string): Promise<BoundMessage> {
  const parsed = await simpleParser(Buffer.from(raw, 'latin1'));
  const from = parsed.from?.value[0];
  if (!from?.address || typeof parsed.html !== 'string' || !parsed.text || !parsed.subject)
    throw new Error('captured message: no From, subject, HTML or text part');
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    if (OWN.has(key)) continue;
    headers[line.slice(0, line.indexOf(':'))] = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]/g, ' ')
      .trim();
  }
  return {
    from: { name: from.name, address: from.address },
    subject: parsed.subject,
    html: parsed.html,
    text: parsed.text,
    headers,
  };
}
