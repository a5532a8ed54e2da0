import { Counter, Gauge, Histogram, Registry } from 'prom-client';

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

  /** The Prometheus text exposition. */
  async render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
