import type { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import { apiFor, listOf, type ConsoleEnv, type ConsoleOptions } from '../console-context.js';
import { ApiProblem, consolePage } from '../layout.js';
import { MailboxMessageView, MailboxView, type Message, type MessageSummary } from '../mailbox-pages.js';

/** The dev mailbox (capture mode): captured messages, and one message's HTML (sandboxed), text and headers. */
export function mailboxPages(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/mailbox', async (c) => {
    const user = c.get('consoleUser');
    const answer = await apiFor(c, options, deps, user).get<unknown>('/api/v1/admin/mailbox');
    const rows = answer.ok ? listOf<MessageSummary>(answer.data, 'messages') : [];
    const capture = deps.config.mail.kind === 'capture';
    return consolePage(c, {
      title: 'Mailbox',
      section: 'mailbox',
      user,
      options,
      children: MailboxView({ rows, capture, answer }),
    });
  });

  app.get('/admin/mailbox/:id', async (c) => {
    const user = c.get('consoleUser');
    const answer = await apiFor(c, options, deps, user).get<Message | { message: Message }>(
      `/api/v1/admin/mailbox/${encodeURIComponent(c.req.param('id'))}`,
    );
    if (!answer.ok)
      return consolePage(
        c,
        {
          title: 'Message',
          section: 'mailbox',
          user,
          options,
          children: ApiProblem({ status: answer.status, message: answer.message }),
        },
        answer.status === 404 ? 404 : 200,
      );
    const m: Message = 'message' in answer.data ? answer.data.message : answer.data;
    return consolePage(c, {
      title: m.subject ?? 'Message',
      section: 'mailbox',
      user,
      options,
      children: MailboxMessageView({ m, options }),
    });
  });
}
