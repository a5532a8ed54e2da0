import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/index.js';
import { MemoryStore, Metrics } from '../src/internal.js';
import { instrumentStore } from '../src/store/instrumented-store.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';
import { createOpsPlugin } from './fixtures/security-ops-plugin.js';

const bots: TestBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
});

/** The value of one series in a Prometheus text exposition (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function scrape(bot: TestBot): Promise<string> {
  return bot.robot.metrics.render();
}

describe('/metrics', () => {
  it("includes Node's default process metrics", async () => {
    const text = await new Metrics().render();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('counts audit lines written and times their fsync', async () => {
    const bot = await createTestBot({ config: { audit: { enabled: true } } });
    bots.push(bot);
    const before = await scrape(bot);
    await bot.say('alice', 'whoami');
    const after = await scrape(bot);
    // A decision line and an outcome line.
    expect(sample(after, 'chatops_audit_lines_total') - sample(before, 'chatops_audit_lines_total')).toBe(2);
    expect(sample(after, 'chatops_audit_fsync_seconds_count')).toBeGreaterThan(
      sample(before, 'chatops_audit_fsync_seconds_count'),
    );
  });

  it('counts approvals by state and rate-limit refusals', async () => {
    const ops = createOpsPlugin();
    const bot = await createTestBot({
      plugins: [ops.plugin],
      config: {
        auth: {
          roles: { dev: ['shell:*'], admin: ['shell:carol'] },
          rules: [
            { allow: 'ops.deploy', roles: ['dev'], approval: { roles: ['admin'], count: 1, ttl: '15m' } },
          ],
          rateLimit: { burst: 3, perMinute: 1 },
        },
      },
    });
    bots.push(bot);
    const series = (state: string) => `chatops_approvals_total{state="${state}"}`;
    const before = await scrape(bot);
    const [card] = await bot.say('alice', 'deploy uat', { channel: 'ops' });
    await bot.click(card!, 'Approve', 'carol');
    await bot.say('bob', 'whoami');
    await bot.say('bob', 'whoami');
    await bot.say('bob', 'whoami');
    await bot.say('bob', 'whoami');
    const after = await scrape(bot);
    expect(sample(after, series('requested')) - sample(before, series('requested'))).toBe(1);
    expect(sample(after, series('approved')) - sample(before, series('approved'))).toBe(1);
    expect(sample(after, series('rejected')) - sample(before, series('rejected'))).toBe(0);
    expect(sample(after, 'chatops_rate_limited_total') - sample(before, 'chatops_rate_limited_total')).toBe(
      1,
    );
  });

  it('counts store operations and errors by method', async () => {
    const failing: Store = Object.assign(new MemoryStore(), {
      set: async () => {
        throw new Error('disk full');
      },
    });
    const store = instrumentStore(failing);
    const text = () => new Metrics().render();
    const before = await text();
    await store.get('a');
    await expect(store.set('a', 1)).rejects.toThrow('disk full');
    await store.close();
    const after = await text();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('chatops_store_operations_total{operation="get"}')).toBe(1);
    expect(delta('chatops_store_operations_total{operation="set"}')).toBe(1);
    expect(delta('chatops_store_errors_total{operation="set"}')).toBe(1);
    expect(delta('chatops_store_errors_total{operation="get"}')).toBe(0);
  });

  it('counts adapter reconnects: every connection after the first', async () => {
    const metrics = new Metrics();
    metrics.adapterReadyChanged('slack', true);
    metrics.adapterReadyChanged('slack', false);
    metrics.adapterReadyChanged('slack', true);
    metrics.adapterReadyChanged('slack', false);
    const text = await metrics.render();
    expect(sample(text, 'chatops_adapter_reconnects_total{adapter="slack"}')).toBe(1);
    expect(sample(text, 'chatops_adapter_connected{adapter="slack"}')).toBe(0);
  });
});
