import type { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import { ApiTokensView, type TokenRow } from '../api-tokens-page.js';
import { apiFor, listOf, type ConsoleEnv, type ConsoleOptions } from '../console-context.js';
import { apiProblemPage, consolePage } from '../layout.js';

/**
 * API tokens made in the console (admin only): create one (the token is shown once, with a copy
 * button), list them without their secret (prefix, who made it, last use), revoke with confirmation.
 * Tokens from the API_TOKENS setting keep working and are only counted here.
 */
export function apiTokensPage(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/api-tokens', async (c) => {
    const user = c.get('consoleUser');
    const answer = await apiFor(c, options, deps, user).get<unknown>('/api/v1/admin/api-tokens');
    const base = { title: 'API tokens', section: 'api-tokens' as const, user, options };
    if (!answer.ok) return apiProblemPage(c, base, answer);
    const rows = listOf<TokenRow>(answer.data, 'apiTokens');
    const fromEnv = deps.config.apiTokens;
    return consolePage(c, {
      ...base,
      children: ApiTokensView({ rows, fromEnv }),
    });
  });
}
