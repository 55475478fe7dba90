import type { Server } from 'node:http';

/**
 * Whether the process is shutting down: shared by main.ts (which sets it) and the app (which reads it).
 * While draining, every response says `Connection: close` (request-scope.ts): Node then ends that
 * keep-alive connection after the response, so a client hammering one socket is let go after its
 * current request instead of keeping the process alive (and /readyz answers 503, see http/api/ops.ts).
 */
export type Lifecycle = { draining: boolean };

/**
 * Stops an HTTP server within `budgetMs` whatever its clients do: stop accepting, close idle
 * keep-alive sockets now and as they become idle (busy ones end after their response, which carries
 * `Connection: close`), and cut whatever is still open when the budget is spent.
 * @returns true when every connection ended on its own, false when some had to be cut.
 */
export function closeHttpServer(server: Server, budgetMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let cut = false;
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      cut = true;
      server.closeAllConnections();
    }, budgetMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(deadline);
      resolve(!cut);
    });
    server.closeIdleConnections();
  });
}
