import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const processRegistry = new Registry();
let defaultMetricsStarted = false;

/** How far one audit sink is behind. */
interface SinkShipping {
  backlog: number;
  backlogFull: boolean;
}
/**
 * Series of the whole process, which the audit log, approvals, the rate limit and the store record
 * with one call each; every robot's `/metrics` shows them next to Node's default process metrics.
 * Labels take values from small fixed sets only, so their cardinality stays bounded.
 */
export const processMetrics = {
  auditLines: new Counter({
    name: 'chatops_audit_lines_total',
    help: 'Audit lines written to the local log',
    registers: [processRegistry],
  }),
  auditFsync: new Histogram({
    name: 'chatops_audit_fsync_seconds',
    help: 'Time to fsync a batch of audit lines',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [processRegistry],
  }),
  /** `requested`, then one of `approved`, `rejected`, `expired`. */
  approvals: new Counter({
    name: 'chatops_approvals_total',
    help: 'Approval requests by state reached',
    labelNames: ['state'] as const,
    registers: [processRegistry],
  }),
  rateLimited: new Counter({
    name: 'chatops_rate_limited_total',
    help: 'Requests refused by the per-principal rate limit',
    registers: [processRegistry],
  }),
  /** `operation` is a Store method name. */
  storeOperations: new Counter({
    name: 'chatops_store_operations_total',
    help: 'Store operations by method',
    labelNames: ['operation'] as const,
    registers: [processRegistry],
  }),
  storeErrors: new Counter({
    name: 'chatops_store_errors_total',
    help: 'Store operations that failed, by method',
    labelNames: ['operation'] as const,
    registers: [processRegistry],
  }),
};

/** Node's default process metrics (CPU, memory, event loop lag, GC), started once per process. */
function processRegistryWithDefaults(): Registry {
  if (!defaultMetricsStarted) {
    defaultMetricsStarted = true;
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Prometheus metrics of one robot (its own registry, so several robots can share a process). */
export class Metrics {
  readonly registry = new Registry();
  /** Commands and actions handled, by name and outcome. */
  readonly handled = new Counter({
    name: 'chatops_commands_total',
    help: 'Commands and actions handled, by name and outcome',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly handlerDuration = new Histogram({
    name: 'chatops_handler_duration_seconds',
    help: 'Handler duration in seconds',
    labelNames: ['command'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private adapter?: { platform: string; isReady: () => boolean };
  readonly adapterConnected = new Gauge({
    name: 'chatops_adapter_connected',
    help: '1 while the chat adapter is connected',
    labelNames: ['adapter'] as const,
    registers: [this.registry],
    collect: () => {
      const adapter = this.adapter;
      if (adapter) this.adapterConnected.set({ adapter: adapter.platform }, adapter.isReady() ? 1 : 0);
    },
  });

  readonly adapterReconnects = new Counter({
    name: 'chatops_adapter_reconnects_total',
    help: 'Times the chat adapter connected again after losing its connection',
    labelNames: ['adapter'] as const,
    registers: [this.registry],
  });
  private readonly everConnected = new Set<string>();

  /** For adapters: sets `chatops_adapter_connected` and counts each connection after the first as a reconnect. */
  adapterReadyChanged(adapter: string, ready: boolean): void {
    this.adapterConnected.set({ adapter }, ready ? 1 : 0);
    if (!ready) return;
    if (this.everConnected.has(adapter)) this.adapterReconnects.inc({ adapter });
    this.everConnected.add(adapter);
  }

  readonly instanceInfo = new Gauge({
    name: 'chatops_instance_info',
    help: 'Always 1; the instance label names this replica',
    labelNames: ['instance'] as const,
    registers: [this.registry],
  });

  /** Names this replica in the metrics (`chatops_instance_info{instance="bot-1"} 1`). */
  nameInstance(instance: string): void {
    this.instanceInfo.reset();
    this.instanceInfo.set({ instance }, 1);
  }

  /** Reports the adapter's connection state on every scrape. */
  watchAdapter(platform: string, isReady: () => boolean): void {
    this.adapter = { platform, isReady };
  }
  private auditShipping?: () => Record<string, SinkShipping>;

  constructor() {
    this.sinkGauge(
      'chatops_audit_sink_backlog_lines',
      'Audit lines not yet acknowledged by the sink',
      (stats) => stats.backlog,
    );
    this.sinkGauge(
      'chatops_audit_sink_full',
      '1 while the sink is behind by more than audit.shipping.backlogLimit lines',
      (stats) => (stats.backlogFull ? 1 : 0),
    );
  }

  /** A gauge per audit sink, read from {@link watchAuditShipping}'s stats on every scrape. */
  private sinkGauge(name: string, help: string, value: (stats: SinkShipping) => number): void {
    const gauge: Gauge<'sink'> = new Gauge({
      name,
      help,
      labelNames: ['sink'] as const,
      registers: [this.registry],
      collect: () => {
        for (const [sink, stats] of Object.entries(this.auditShipping?.() ?? {}))
          gauge.set({ sink }, value(stats));
      },
    });
  }

  /** Reports the audit sinks' backlogs on every scrape. */
  watchAuditShipping(stats: () => Record<string, SinkShipping>): void {
    this.auditShipping = stats;
  }
  private readonly extra = new Map<string, Counter<string>>();

  /** A counter for adapters and plugins (`chatops_slack_retries_total`), created on first use. */
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter<string> {
    let existing = this.extra.get(name);
    if (!existing) {
      existing = new Counter({ name, help, labelNames, registers: [this.registry] });
      this.extra.set(name, existing);
    }
    return existing;
  }

  /** The Prometheus text exposition: this robot's series, the process series and Node's defaults. */
  async render(): Promise<string> {
    return Registry.merge([this.registry, processRegistryWithDefaults()]).metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
