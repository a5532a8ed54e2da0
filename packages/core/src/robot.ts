import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { ActionTokens } from './actions/action-token.js';
import { PostedCards } from './actions/posted-cards.js';
import { renderCard } from './actions/render-card.js';
import type { Adapter, AdapterHost, AdapterModule } from './adapter.js';
import { loadAdapterModule } from './adapter-loader.js';
import { anchoringFromConfig } from './audit/anchoring-config.js';
import { AuditLog } from './audit/audit-log.js';
import type { AuditSink } from './audit/audit-sink.js';
import { createBuiltins } from './builtins/builtins.js';
import { hasContent, type RenderedCard, type Reply, toCard } from './card.js';
import { resolveInstance } from './config/instance.js';
import type { ChatopsConfig } from './config/schema.js';
import { validateSection } from './config/validate-section.js';
import { configuredPlugins } from './configured-plugins.js';
import type { Context, Middleware } from './context.js';
import { type ButtonClick, Dispatcher, EVENT_TTL_MS, type NestedRun } from './dispatcher.js';
import { HttpServer } from './http-server.js';
import type { Conversation, Incoming, MessageRef } from './incoming.js';
import { instrumentStore } from './instrumented-store.js';
import { Leases } from './lease.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import type { DispatchResult } from './outcome.js';
import type { PluginDefinition, Teardown } from './plugin.js';
import { createBot } from './plugin-host.js';
import { loadPlugins, type PluginEntry, type PluginStatus } from './plugin-loader.js';
import type { Principal } from './principal.js';
import { Router } from './router/router.js';
import { Scheduler } from './scheduler.js';
import type { ApprovalRequest } from './security/approvals.js';
import { Auditor } from './security/auditor.js';
import { Identity } from './security/identity.js';
import { securityMiddleware } from './security/middleware.js';
import { Policy } from './security/policy.js';
import { withTimeout } from './shared/with-timeout.js';
import { createStore } from './store/create-store.js';
import { RedisEventStream } from './store/redis-event-stream.js';
import { RedisStore } from './store/redis-store.js';
import type { Store } from './store.js';

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

const SECRET_KEY = 'chatops:secret';

/** The robot: loads adapter and plugins, routes what the adapter receives and answers through it. */
export class Robot {
  readonly config: ChatopsConfig;
  readonly configDir: string;
  readonly log: Logger;
  readonly metrics = new Metrics();
  readonly router = new Router();
  readonly scheduler: Scheduler;
  readonly middleware: Middleware[] = [];
  readonly startedAt: number;
  readonly version: string;
  /** The name of this replica (`instance` in the config, default the host name). */
  readonly instance: string;
  plugins: PluginStatus[] = [];
  store!: Store;
  /** The replicas' shared event stream, on a Redis store. */
  events?: RedisEventStream;
  private leases!: Leases;
  adapter!: Adapter;
  tokens!: ActionTokens;
  /** Cards with buttons the robot posted, so a click's outcome can be added to the clicked card. */
  postedCards!: PostedCards;
  auditor!: Auditor;
  identity!: Identity;
  policy: Policy;
  http?: HttpServer;
  private dispatcher!: Dispatcher;
  private readonly teardowns: { plugin: string; teardown: Teardown }[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
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
    this.policy = new Policy(this.config.auth, { homeTeams: () => this.adapter?.homeTeams?.() ?? [] });
    this.startedAt = this.now();
    this.version = options.version ?? '0.1.0';
    // Every in-flight request listens for shutdown; more than 10 at once is normal, not a leak.
    setMaxListeners(0, this.abort.signal);
  }

  /** On Redis, chat events go through the replicas' shared stream (see {@link RedisEventStream}). */
  private async startEventStream(): Promise<void> {
    if (!(this.store instanceof RedisStore) || this.config.store.type !== 'redis') return;
    this.events = new RedisEventStream(this.store, {
      consumer: this.leases.holder,
      leaseMs: this.config.store.eventLease,
      deliveryTtlMs: EVENT_TTL_MS,
      log: this.log.child({ component: 'event-stream' }),
      handle: (incoming) => this.dispatcher.dispatch(incoming, undefined, { deduplicated: true }),
      track: (work) => this.track(work),
    });
    await this.events.start();
  }

  /** Each scheduled tick runs in one of the processes sharing the store (replicas, or `chatops run`). */
  private shareScheduledJobs(leases: Leases): void {
    this.scheduler.shareWith({
      claimInterval: (job, ttlMs) => leases.hold(`job:${job}`, ttlMs),
      claimRun: (job, runAt) =>
        this.store.setIfAbsent(`chatops:job-run:${job}:${runAt}`, leases.holder, { ttlMs: 86_400_000 }),
    });
  }

  /** Current time (replaceable for tests). */
  readonly now: () => number;

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
    this.store = instrumentStore(
      this.options.store ?? (await createStore(this.config.store, { now: this.now, log: this.log })),
    );
    this.leases = new Leases(this.store, this.instance);
    if (!this.options.store && this.config.store.type !== 'memory') this.shareScheduledJobs(this.leases);
    this.tokens = new ActionTokens(await this.secret(), this.now);
    this.postedCards = new PostedCards(this.store);
    const anchoring = this.config.audit.enabled
      ? anchoringFromConfig(this.config.audit, {
          onBacklogFull: (sink, backlog) =>
            this.auditAlert(
              `audit sink ${sink} is full: ${backlog} lines are not shipped yet (they stay in the audit file and are sent when it recovers)`,
            ),
          onSendError: (sink, error) => {
            this.metrics
              .counter('chatops_audit_sink_errors_total', 'Failed sends to an audit sink (retried)', ['sink'])
              .inc({ sink });
            this.log.warn({ err: error, sink }, 'audit sink send failed; retrying');
          },
        })
      : undefined;
    const auditLog = this.config.audit.enabled
      ? await AuditLog.open({
          path: this.config.audit.path,
          fsync: this.config.audit.fsync,
          maxBytes: this.config.audit.maxBytes,
          sinks: this.options.auditSinks,
          redactKeys: this.config.audit.redactKeys,
          instance: this.instance,
          ...(anchoring ? { anchoring } : {}),
          onWarning: (message, error) => this.log.warn({ err: error }, message),
          onAlert: (message) => this.auditAlert(message),
        })
      : undefined;
    if (auditLog) this.metrics.watchAuditShipping(() => auditLog.shippingStats());
    this.auditor = new Auditor(
      auditLog,
      this.options.auditSinks ?? [],
      this.config.audit.redactKeys,
      this.now,
    );
    if (this.config.http) {
      this.http = new HttpServer({
        host: this.config.http.host,
        port: this.config.http.port,
        log: this.log.child({ component: 'http' }),
        metrics: this.metrics,
        isReady: () =>
          this.state === 'running' && (this.adapter?.isReady() ?? false) && this.store.isAvailable(),
      });
    }
    const adapterModule =
      this.options.adapter ?? (await loadAdapterModule(this.config.adapter, this.configDir));
    this.adapter = await adapterModule.create(this.adapterHost(), this.adapterConfig(adapterModule));
    this.identity = new Identity(this.policy, this.adapter, this.now);
    this.dispatcher = new Dispatcher(this);
    this.middleware.push(...securityMiddleware(this));
    await this.loadPlugins();
    await this.http?.listen();
    await this.adapter.start();
    await this.startEventStream();
    const adapter = this.adapter;
    this.metrics.watchAdapter(adapter.platform, () => adapter.isReady());
    if (options.scheduler !== false) this.scheduler.start();
    const alerts = this.pendingAlerts ?? [];
    this.pendingAlerts = undefined;
    for (const alert of alerts) this.postAlert(alert);
    this.log.info(
      {
        adapter: this.adapter.platform,
        plugins: this.plugins.map((plugin) => plugin.name),
        http: this.http?.url(),
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

  /** Handles one incoming message or click. Never throws. */
  receive(incoming: Incoming): Promise<DispatchResult> {
    return this.accept(incoming);
  }

  private accept(incoming: Incoming, nested?: NestedRun): Promise<DispatchResult> {
    if (this.state !== 'running') {
      return Promise.resolve({ status: 'ignored', correlationId: '-', message: 'the robot is not running' });
    }
    return this.track(this.dispatcher.dispatch(incoming, nested));
  }

  /** Runs an approved request as its requester (used by the Approve button). */
  replayApproved(request: ApprovalRequest, approver: Principal): Promise<DispatchResult> {
    return this.track(this.dispatcher.replay(request, approver));
  }

  /** Counts work as in flight until it settles, so shutdown can wait for it. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /**
   * Posts a reply; card actions get signed tokens bound to the conversation. An empty reply (no text,
   * title, fields, table, code, buttons or file) is not posted.
   */
  async post(
    conversation: Conversation | string,
    reply: Reply,
    options: { replyTo?: Incoming; privateTo?: Principal } = {},
  ): Promise<MessageRef | undefined> {
    if (!hasContent(toCard(reply))) {
      this.log.warn('an empty reply was not posted');
      return undefined;
    }
    const target =
      typeof conversation === 'string' ? await this.resolveConversation(conversation) : conversation;
    const card = renderCard(toCard(reply), target.id, this);
    const ref = await this.adapter.send({
      conversation: target,
      card,
      replyTo: options.replyTo,
      privateTo: options.privateTo
        ? { id: options.privateTo.id, name: options.privateTo.name, email: options.privateTo.email }
        : undefined,
    });
    if (card.actions.length > 0) await this.postedCards.remember(ref, card);
    return ref;
  }

  /** Replaces a message the robot posted. An empty reply leaves the message as it is. */
  async update(ref: MessageRef, reply: Reply): Promise<void> {
    if (!hasContent(toCard(reply))) {
      this.log.warn('an empty update was not applied');
      return;
    }
    await this.updateRendered(ref, renderCard(toCard(reply), ref.conversationId, this));
  }

  /** Replaces a message with a card whose buttons are already signed (they keep their tokens). */
  async updateRendered(ref: MessageRef, card: RenderedCard): Promise<void> {
    await this.adapter.update(ref, card);
    await this.postedCards.remember(ref, card);
  }

  /** Posts to every conversation a notification route names for the active adapter. */
  async notify(route: string, reply: Reply): Promise<MessageRef[]> {
    const routes = this.config.notifications[route];
    // Routes are keyed by adapter name (`slack`, `./adapters/teams.js`) or by platform (`teams`).
    const targets = routes?.[this.config.adapter] ?? routes?.[this.adapter.platform];
    if (targets === undefined) {
      this.log.warn(
        { route, adapter: this.adapter.platform },
        'notification route has no target for this adapter',
      );
      return [];
    }
    const refs: MessageRef[] = [];
    for (const target of Array.isArray(targets) ? targets : [targets]) {
      const ref = await this.post(target, reply);
      if (ref) refs.push(ref);
    }
    return refs;
  }

  /**
   * Runs a command line as the user of `ctx`, in its conversation, through the whole pipeline: the
   * user's roles are resolved again from the policy, and the run's audit lines name `ctx.id` as parent.
   * Run from a button, it carries the click along: a write it runs uses the button up (single use).
   */
  execute(commandLine: string, ctx: Context): Promise<DispatchResult> {
    const { incoming, user } = ctx;
    const { nonce, tokenExpires, buttonUse } = ctx.state as Partial<ButtonClick>;
    const button = nonce && tokenExpires && buttonUse ? { nonce, tokenExpires, buttonUse } : undefined;
    return this.accept(
      {
        type: 'message',
        platform: incoming.platform,
        user: { id: user.id, name: user.name, ...(user.email ? { email: user.email } : {}) },
        conversation: incoming.conversation,
        text: commandLine,
        addressed: true,
        raw: incoming.raw,
      },
      { user, parent: ctx.id, ...(button ? { button } : {}) },
    );
  }

  /** Stops taking work, waits (bounded) for in-flight handlers, then closes everything. */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    const grace = this.config.shutdownTimeout;
    await this.scheduler.stop();
    await this.events?.stop();
    await withTimeout(Promise.allSettled(this.inFlight), grace);
    await this.events?.flush().catch((error) => this.log.warn({ err: error }, 'event acknowledgements lost'));
    this.abort.abort(new Error('the robot is shutting down'));
    for (const { plugin, teardown } of this.teardowns.reverse()) {
      try {
        await teardown();
      } catch (error) {
        this.log.error({ err: error, plugin }, 'plugin teardown failed');
      }
    }
    await withTimeout(Promise.allSettled(this.inFlight), 1000);
    await this.adapter.stop().catch((error) => this.log.error({ err: error }, 'adapter stop failed'));
    await this.http?.close();
    await this.auditor.close();
    await this.store.close();
    this.state = 'stopped';
    this.log.info('robot stopped');
  }

  /** Releases what a failed start opened (listening socket, files), so the process can exit. */
  private async closeAfterFailedStart(): Promise<void> {
    this.state = 'stopped';
    this.abort.abort(new Error('the robot failed to start'));
    await this.scheduler.stop().catch(() => undefined);
    await this.events?.stop().catch(() => undefined);
    for (const { teardown } of this.teardowns.reverse())
      await Promise.resolve(teardown()).catch(() => undefined);
    await this.adapter?.stop().catch(() => undefined);
    await this.http?.close().catch(() => undefined);
    await this.auditor?.close().catch(() => undefined);
    await this.store?.close().catch(() => undefined);
  }

  /** A signal aborted when the robot shuts down. */
  get shutdownSignal(): AbortSignal {
    return this.abort.signal;
  }

  get running(): boolean {
    return this.state === 'running';
  }

  private async loadPlugins(): Promise<void> {
    const services = {
      name: this.name,
      configDir: this.configDir,
      log: this.log,
      store: this.store,
      metrics: this.metrics,
      http: this.http,
      router: this.router,
      scheduler: this.scheduler,
      middleware: this.middleware,
      errorHooks: [],
      notify: (route: string, reply: Reply) => this.notify(route, reply),
      send: (conversation: Conversation | string, reply: Reply) => this.post(conversation, reply),
      update: (ref: MessageRef, reply: Reply) => this.update(ref, reply),
      now: this.now,
    };
    const builtins: PluginDefinition<unknown> = createBuiltins(this) as PluginDefinition<unknown>;
    this.plugins = await loadPlugins({
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

  private adapterHost(): AdapterHost {
    const robot = this;
    return {
      robotName: this.name,
      log: this.log.child({ component: 'adapter' }),
      store: this.store,
      metrics: this.metrics,
      http: this.http,
      get durableIntake() {
        return robot.events !== undefined;
      },
      receive: (incoming) => this.receive(incoming),
    };
  }

  private adapterConfig(module: AdapterModule<unknown>): unknown {
    const raw = (this.config as Record<string, unknown>)[module.name] ?? {};
    return module.config ? validateSection(module.config, raw, [module.name]) : raw;
  }

  private async resolveConversation(name: string): Promise<Conversation> {
    if (!this.adapter.resolveConversation) return { id: name, name, kind: 'channel' };
    const resolved = await this.adapter.resolveConversation(name);
    if (!resolved) throw new Error(`no conversation "${name}" on ${this.adapter.platform}`);
    return resolved;
  }

  private async secret(): Promise<string> {
    if (this.config.secret) return this.config.secret;
    await this.store.setIfAbsent(SECRET_KEY, randomBytes(32).toString('base64url'));
    return (await this.store.get<string>(SECRET_KEY))!;
  }
}
