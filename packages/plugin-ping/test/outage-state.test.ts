import { describe, expect, it } from 'vitest';
import type { Health } from '../src/check/types.js';
import { advanceOutage, NO_OUTAGE, type OutageState } from '../src/monitor/outage-state.js';

const policy = { failures: 2, remindEveryMs: 30 * 60_000 };
const MINUTE_MS = 60_000;

/** Feeds checks one MINUTE_MS apart and collects the events. */
function run(healths: Health[], start: OutageState = NO_OUTAGE) {
  let state = start;
  const events: string[] = [];
  healths.forEach((health, index) => {
    const step = advanceOutage(state, health, index * MINUTE_MS, policy);
    state = step.state;
    if (step.event) events.push(`${index}:${step.event.kind}`);
  });
  return { state, events };
}

describe('outage state', () => {
  it('does not alert on a single failure (no flapping)', () => {
    expect(run(['unhealthy', 'healthy', 'unhealthy', 'healthy']).events).toEqual([]);
  });

  it('alerts once after the configured number of consecutive failures', () => {
    const { state, events } = run(['healthy', 'unhealthy', 'unhealthy', 'unhealthy', 'unhealthy']);
    expect(events).toEqual(['2:alert']);
    expect(state.outage).toEqual({ since: 1 * MINUTE_MS, notifiedAt: 2 * MINUTE_MS, alerts: [] });
    expect(state.consecutiveFailures).toBe(4);
  });

  it('reminds every remindEvery while down and recovers with the outage length', () => {
    const healths: Health[] = [...Array<Health>(65).fill('unhealthy'), 'degraded'];
    const { state, events } = run(healths);
    expect(events).toEqual(['1:alert', '31:remind', '61:remind', '65:recover']);
    expect(state).toEqual(NO_OUTAGE);
    const last = advanceOutage(run(healths.slice(0, 65)).state, 'healthy', 65 * MINUTE_MS, policy);
    expect(last.event).toEqual({ kind: 'recover', since: 0, downForMs: 65 * MINUTE_MS, alerts: [] });
  });

  it('never reminds when remindEvery is 0', () => {
    let state = NO_OUTAGE;
    const kinds: string[] = [];
    for (let index = 0; index < 100; index += 1) {
      const step = advanceOutage(state, 'unhealthy', index * MINUTE_MS, { failures: 1, remindEveryMs: 0 });
      state = step.state;
      if (step.event) kinds.push(step.event.kind);
    }
    expect(kinds).toEqual(['alert']);
  });
});
