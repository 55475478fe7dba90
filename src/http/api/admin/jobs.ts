import { createRoute, z } from '@hono/zod-openapi';
import { identifier } from '../../../domain/validation/text.js';
import type { Deps } from '../../../deps.js';
import type { Services } from '../../../jobs/services.js';
import { AppError } from '../../../errors.js';
import { scheduledJobs } from '../../../jobs/index.js';
import { errorResponses } from '../../openapi.js';
import { createRouter } from '../../router.js';

const route = createRoute({
  method: 'post',
  path: '/api/v1/admin/jobs/{name}/run',
  tags: ['admin'],
  summary: 'Run a scheduled job now and return its summary',
  description:
    'Any job of the schedule (e.g. `restock-scan`, `send`). The job keeps its own once-across-instances rule: if another instance runs it right now the summary says `skipped`.',
  security: [{ bearer: [] }],
  request: {
    params: z.object({
      name: identifier(100).openapi({ param: { name: 'name', in: 'path' }, example: 'restock-scan' }),
    }),
  },
  responses: {
    200: {
      description: 'The job ran',
      content: {
        'application/json': {
          schema: z.object({ job: z.string(), summary: z.record(z.string(), z.unknown()) }).openapi('JobRun'),
        },
      },
    },
    ...errorResponses(
      400,
      401,
      [403, 'token without scope admin'],
      [404, 'no job with that name'],
      [409, 'the job is disabled by configuration'],
    ),
  },
});

/** Generic over `scheduledJobs(config)`: a job added to that list is runnable here by name. */
export function adminJobRoutes(deps: Deps, services: Services) {
  const app = createRouter();
  app.openapi(route, async (c) => {
    const { name } = c.req.valid('param');
    const job = scheduledJobs(deps.config).find((j) => j.name === name);
    if (!job) throw new AppError('NOT_FOUND', `No job named ${name}.`);
    if (job.enabled === false) throw new AppError('CONFLICT', `The job ${name} is disabled by configuration.`);
    const summary = await job.run(deps, services, new AbortController().signal);
    // Same log line as a scheduled run (scheduler.ts), so every run of a job is in the logs.
    deps.log.info({ job: name, trigger: 'admin', requestId: c.get('requestId'), ...summary }, 'job finished');
    return c.json({ job: name, summary }, 200);
  });
  return app;
}
