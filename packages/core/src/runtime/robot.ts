import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { ActionTokens } from '../actions/action-token.js';
import type { AuditSink } from '../audit/audit-sink.js';
import { createBuiltins } from '../builtins/builtins.js';
import type { Adapter, AdapterModule } from '../chat/adapter.js';
import type { Reply } from '../chat/card.js';
import type { Conversation, MessageRef } from '../chat/incoming.js';
import { resolveInstance } from '../config/instance.js';
import type { ChatopsConfig } from '../config/schema.js';
import type { PostOptions } from '../delivery/delivery.js';
import type { WorkGate } from '../pipeline/dispatcher.js';
import { configuredPlugins } from '../plugins/configured-plugins.js';
import type { PluginDefinition, Teardown } from '../plugins/plugin.js';
import { createBot } from '../plugins/plugin-host.js';
import { loadPlugins, type PluginEntry, type PluginStatus } from '../plugins/plugin-loader.js';
import { Router } from '../router/router.js';
import type { Auditor } from '../security/auditor.js';
import { InFlight } from '../shared/in-flight.js';
import { withTimeout } from '../shared/with-timeout.js';
import type { RedisEventStream } from '../store/redis-event-stream.js';
import type { Store } from '../store/store.js';
import { type Assembly, assemble } from './assemble.js';
import type { HttpServer } from './http-server.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { Scheduler } from './scheduler.js';

/** How to build a robot. */
export interface RobotOptions {
  config: ChatopsConfig;
  /** Relative paths in config resolve against this directory. */
  configDir: string;
  log?: Logger;
  /** Use this adapter module instead of the one `config.adapter` names. */
  adapter?: AdapterModule<unknown>;
  /** Plugins given directly, loaded after the ones named in `config.plugins`. */
  plugins?: readonly PluginEntry[];
  store?: Store;
  now?: () => number;
  auditSinks?: AuditSink[];
  version?: string;
}

type RobotState = 'new' | 'running' | 'stopping' | 'stopped';

/**
 * The robot's lifecycle: {@link assemble} builds its services, `start` loads the plugins and connects,
 * `stop` drains and closes. Only the CLI and the testing kit use it; every service gets what it needs
 * from the composition root, not the robot.
 */
export class Robot implements WorkGate {
  readonly config: ChatopsConfig;
  readonly configDir: string;
  readonly log: Logger;
  readonly metrics = new Metrics();
  readonly router = new Router();
  readonly scheduler: Scheduler;
  readonly startedAt: number;
  readonly version: string;
  /** The name of this replica (`instance` in the config, default the host name). */
  readonly instance: string;
  /** Current time (replaceable for tests). */
  readonly now: () => number;
  private pluginStatus: PluginStatus[] = [];
  private parts: Assembly | undefined;
  private readonly teardowns: { plugin: string; teardown: Teardown }[] = [];
  private readonly inFlight = new InFlight();
  private readonly abort = new AbortController();
  private state: RobotState = 'new';
  /** Alerts raised before the adapter could post them. */
  private pendingAlerts: string[] | undefined = [];

  constructor(private readonly options: RobotOptions) {
    this.config = options.config;
    this.configDir = options.configDir;
    this.instance = resolveInstance(options.config.instance);
    this.log = (options.log ?? createLogger({ level: options.config.log.level })).child({
      instance: this.instance,
    });
    this.metrics.nameInstance(this.instance);
    this.now = options.now ?? Date.now;
    this.scheduler = new Scheduler({ log: this.log.child({ component: 'scheduler' }), now: this.now });
    this.startedAt = this.now();
    this.version = options.version ?? '0.1.0';
    // Every in-flight request listens for shutdown; more than 10 at once is normal, not a leak.
    setMaxListeners(0, this.abort.signal);
  }

  get name(): string {
    return this.config.name;
  }

  /** Opens the store and audit log, creates the adapter, loads plugins, listens and connects. */
  async start(options: { scheduler?: boolean } = {}): Promise<void> {
    if (this.state !== 'new') throw new Error('the robot was already started');
    this.state = 'running';
    try {
      await this.open(options);
    } catch (error) {
      await this.closeAfterFailedStart();
      throw error;
    }
  }

  private async open(options: { scheduler?: boolean }): Promise<void> {
    const parts = await assemble({
      config: this.config,
      configDir: this.configDir,
      log: this.log,
      metrics: this.metrics,
      router: this.router,
      scheduler: this.scheduler,
      instance: this.instance,
      now: this.now,
      gate: this,
      ...(this.options.store ? { store: this.options.store } : {}),
      ...(this.options.adapter ? { adapter: this.options.adapter } : {}),
      ...(this.options.auditSinks ? { auditSinks: this.options.auditSinks } : {}),
      auditAlert: (message) => this.auditAlert(message),
    });
    this.parts = parts;
    await this.loadPlugins(parts);
    await parts.http?.listen();
    await parts.adapter.start();
    await parts.events?.start();
    const { adapter } = parts;
    this.metrics.watchAdapter(adapter.platform, () => adapter.isReady());
    if (options.scheduler !== false) this.scheduler.start();
    const alerts = this.pendingAlerts ?? [];
    this.pendingAlerts = undefined;
    for (const alert of alerts) this.postAlert(alert);
    this.log.info(
      {
        adapter: adapter.platform,
        plugins: this.pluginStatus.map((plugin) => plugin.name),
        http: parts.http?.url(),
      },
      'robot started',
    );
  }

  /** An audit integrity problem people must act on: logged, counted and posted to `audit.alertRoute`. */
  private auditAlert(message: string): void {
    this.log.error({ alert: 'audit' }, message);
    this.metrics.counter('chatops_audit_alerts_total', 'Audit integrity alerts raised').inc();
    if (this.pendingAlerts) this.pendingAlerts.push(message);
    else this.postAlert(message);
  }

  private postAlert(message: string): void {
    const route = this.config.audit.alertRoute;
    if (!route) return;
    this.notify(route, { title: 'Audit log alert', status: 'danger', text: message }).catch((error) =>
      this.log.error({ err: error, route }, 'could not post the audit alert'),
    );
  }

  /** Counts work as in flight until it settles, so shutdown can wait for it. */
  track<T>(work: Promise<T>): Promise<T> {
    return this.inFlight.track(work);
  }

  /**
   * Posts a reply; card actions get signed tokens bound to the conversation. An empty reply (no text,
   * title, fields, table, code, buttons or file) is not posted.
   */
  post(
    conversation: Conversation | string,
    reply: Reply,
    options: PostOptions = {},
  ): Promise<MessageRef | undefined> {
    return this.started.delivery.post(conversation, reply, options);
  }

  /** Replaces a message the robot posted. An empty reply leaves the message as it is. */
  update(ref: MessageRef, reply: Reply): Promise<void> {
    return this.started.delivery.update(ref, reply);
  }

  /** Posts to every conversation a notification route names for the active adapter. */
  notify(route: string, reply: Reply): Promise<MessageRef[]> {
    return this.started.delivery.notify(route, reply);
  }

  /** Stops taking work, waits (bounded) for in-flight handlers, then closes everything. */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    const parts = this.started;
    await this.scheduler.stop();
    await parts.events?.stop();
    await withTimeout(this.inFlight.drain(), this.config.shutdownTimeout);
    await parts.events
      ?.flush()
      .catch((error) => this.log.warn({ err: error }, 'event acknowledgements lost'));
    this.abort.abort(new Error('the robot is shutting down'));
    await this.runTeardowns();
    await withTimeout(this.inFlight.drain(), 1000);
    await parts.adapter.stop().catch((error) => this.log.error({ err: error }, 'adapter stop failed'));
    await parts.http?.close();
    await parts.auditor.close();
    await parts.store.close();
    this.state = 'stopped';
    this.log.info('robot stopped');
  }

  /** Releases what a failed start opened (listening socket, files), so the process can exit. */
  private async closeAfterFailedStart(): Promise<void> {
    this.state = 'stopped';
    this.abort.abort(new Error('the robot failed to start'));
    await this.scheduler.stop().catch(() => undefined);
    const parts = this.parts;
    await parts?.events?.stop().catch(() => undefined);
    for (const { teardown } of this.teardowns.reverse())
      await Promise.resolve(teardown()).catch(() => undefined);
    await parts?.adapter.stop().catch(() => undefined);
    await parts?.http?.close().catch(() => undefined);
    await parts?.auditor.close().catch(() => undefined);
    await parts?.store.close().catch(() => undefined);
  }

  private async runTeardowns(): Promise<void> {
    for (const { plugin, teardown } of this.teardowns.reverse()) {
      try {
        await teardown();
      } catch (error) {
        this.log.error({ err: error, plugin }, 'plugin teardown failed');
      }
    }
  }

  /** A signal aborted when the robot shuts down. */
  get shutdownSignal(): AbortSignal {
    return this.abort.signal;
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** How each plugin loaded. */
  get plugins(): readonly PluginStatus[] {
    return this.pluginStatus;
  }

  /** The parts below exist once `start` has begun; reading one before throws. */
  get store(): Store {
    return this.started.store;
  }
  get adapter(): Adapter {
    return this.started.adapter;
  }
  get tokens(): ActionTokens {
    return this.started.tokens;
  }
  get auditor(): Auditor {
    return this.started.auditor;
  }
  get http(): HttpServer | undefined {
    return this.parts?.http;
  }
  /** The replicas' shared event stream, on a Redis store. */
  get events(): RedisEventStream | undefined {
    return this.parts?.events;
  }

  private get started(): Assembly {
    if (!this.parts) throw new Error('the robot has not been started');
    return this.parts;
  }

  private async loadPlugins(parts: Assembly): Promise<void> {
    const services = {
      name: this.name,
      configDir: this.configDir,
      log: this.log,
      store: parts.store,
      metrics: this.metrics,
      http: parts.http,
      router: this.router,
      scheduler: this.scheduler,
      middleware: parts.middleware,
      errorHooks: [],
      notify: (route: string, reply: Reply) => parts.delivery.notify(route, reply),
      send: (conversation: Conversation | string, reply: Reply) => parts.delivery.post(conversation, reply),
      update: (ref: MessageRef, reply: Reply) => parts.delivery.update(ref, reply),
      now: this.now,
    };
    const builtins = createBuiltins({
      name: this.name,
      router: this.router,
      policy: parts.policy,
      approvals: parts.approvals,
      auditPath: this.config.audit.enabled ? this.config.audit.path : undefined,
      status: () => ({
        name: this.name,
        version: this.version,
        platform: parts.adapter.platform,
        connected: parts.adapter.isReady(),
        uptimeMs: this.now() - this.startedAt,
        commands: this.router.commands.size,
        plugins: this.pluginStatus,
      }),
    }) as PluginDefinition<unknown>;
    this.pluginStatus = await loadPlugins({
      named: configuredPlugins(this.config),
      given: [builtins, ...(this.options.plugins ?? [])],
      baseDir: this.configDir,
      log: this.log,
      setup: async (definition, config) => {
        const { bot, rollback } = createBot(definition.name, services);
        try {
          const teardown = await definition.setup(bot, config);
          if (typeof teardown === 'function') this.teardowns.push({ plugin: definition.name, teardown });
        } catch (error) {
          rollback();
          throw error;
        }
      },
    });
  }
}
