import { it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { createTestDeps } from './helpers/deps.js';
import { addProduct, fromIp, jsonPost } from './helpers/signup-fixtures.js';

// Not part of the suite (issue 21 closing note): CPU µs per signup in this process, PostgreSQL.
it('signup cost', async () => {
  const deps = await createTestDeps({ env: { SIGNUP_RATE_LIMIT_PER_IP: '0', DOUBLE_OPT_IN: 'true' } });
  const app = createApp(deps, deps.runtime);
  const { sku } = await addProduct(deps);
  const run = async (n: number, tag: string) => {
    const batch = 50;
    for (let i = 0; i < n; i += batch) {
      await Promise.all(Array.from({ length: batch }, (_, j) => app.request('/api/v1/signups', jsonPost({ email: `cost-${tag}-${i + j}@example.com`, sku }), fromIp(`10.0.${(i + j) % 250}.1`) as never)));
    }
  };
  await run(500, 'warm');
  const results: number[] = [];
  for (let r = 0; r < 3; r++) {
    const n = 2000;
    const t0 = process.cpuUsage();
    await run(n, `r${r}`);
    const d = process.cpuUsage(t0);
    results.push((d.user + d.system) / n);
  }
  console.log(`SIGNUP_COST_US ${results.map((x) => x.toFixed(0)).join(' ')}`);
  await deps.close();
}, 600_000);
