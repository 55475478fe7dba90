import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';

export type MailboxEntry = { id: string; subject: string; from: string; to: string; date: string | null; size: number };
export type MailboxMessage = MailboxEntry & {
  html: string | null;
  text: string | null;
  headers: { name: string; value: string }[];
};

const ID = /^[A-Za-z0-9._-]{1,200}$/;

function captureDir(config: Pick<Config, 'mail'>): string {
  if (config.mail.kind !== 'capture')
    throw new AppError('NOT_CAPTURE_MODE', 'SMTP_URL is set: mail is sent, not captured, so there is no dev mailbox.');
  return config.mail.dir;
}

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  a ? (Array.isArray(a) ? a.map((x) => x.text).join(', ') : a.text) : '';

/**
 * The newest captured messages (capture mode: the `.eml` files under MAILBOX_DIR), with subject,
 * from, to and date parsed from the headers only (the body is not read for the list).
 * @throws AppError NOT_CAPTURE_MODE when real SMTP is configured.
 */
export async function listMailbox(
  ctx: { config: Pick<Config, 'mail'> },
  input: { limit: number; q?: string },
): Promise<{ total: number; messages: MailboxEntry[] }> {
  const { config } = ctx;
  const options = input;
  const dir = captureDir(config);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
  // File names start with an ISO timestamp (mailer.ts): name order is time order.
  names.sort().reverse();
  const out: MailboxEntry[] = [];
  for (const name of names) {
    if (out.length >= options.limit) break;
    const raw = await readFile(join(dir, name));
    const end = raw.indexOf('\n\n');
    const parsed = await simpleParser(end > 0 ? raw.subarray(0, end + 2) : raw, {
      skipHtmlToText: true,
      skipTextToHtml: true,
    });
    const entry: MailboxEntry = {
      id: name.slice(0, -4),
      subject: parsed.subject ?? '',
      from: addresses(parsed.from),
      to: addresses(parsed.to),
      date: parsed.date?.toISOString() ?? null,
      size: raw.length,
    };
    if (options.q && !`${entry.subject} ${entry.to}`.toLowerCase().includes(options.q.toLowerCase())) continue;
    out.push(entry);
  }
  return { total: names.length, messages: out };
}

/** One captured message: its HTML, text and every header. @throws AppError NOT_FOUND, NOT_CAPTURE_MODE */
export async function readMailboxMessage(
  ctx: { config: Pick<Config, 'mail'> },
  input: { id: string },
): Promise<MailboxMessage> {
  const { config } = ctx;
  const { id } = input;
  const dir = captureDir(config);
  // The id becomes a file name: only plain characters, so it cannot point outside MAILBOX_DIR.
  if (!ID.test(id) || id.includes('..')) throw new AppError('NOT_FOUND', 'No such message.');
  const file = join(dir, `${id}.eml`);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new AppError('NOT_FOUND', 'No such message.');
  const parsed = await simpleParser(await readFile(file));
  return {
    id,
    subject: parsed.subject ?? '',
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    date: parsed.date?.toISOString() ?? null,
    size: info.size,
    html: parsed.html === false ? null : (parsed.html ?? null),
    text: parsed.text ?? null,
    headers: parsed.headerLines.map((h) => {
      const i = h.line.indexOf(':');
      return { name: h.line.slice(0, i), value: h.line.slice(i + 1).trim() };
    }),
  };
}
