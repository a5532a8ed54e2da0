import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { ActionTokens } from '../actions/action-token.js';
import { CardSigner } from '../actions/card-signer.js';
import { Approvals } from '../approvals/approvals.js';
import { anchoringFromConfig } from '../audit/anchoring-config.js';
import { AuditLog } from '../audit/audit-log.js';
import type { AuditSink } from '../audit/audit-sink.js';
import type { Adapter, AdapterHost, AdapterModule } from '../chat/adapter.js';
import { adapterConfig, loadAdapterModule } from '../chat/adapter-loader.js';
import type { ChatopsConfig } from '../config/schema.js';
import { Delivery } from '../delivery/delivery.js';
import { PostedCards } from '../delivery/posted-cards.js';
import type { Middleware } from '../pipeline/context.js';
import { Dispatcher, EVENT_TTL_MS, type WorkGate } from '../pipeline/dispatcher.js';
import { builtInSteps } from '../pipeline/pipeline.js';
import type { Router } from '../router/router.js';
import { Auditor } from '../security/auditor.js';
import { Identity } from '../security/identity.js';
import { Policy } from '../security/policy.js';
import { RateLimiter } from '../security/rate-limiter.js';
import { createStore } from '../store/create-store.js';
import { instrumentStore } from '../store/instrumented-store.js';
import { RedisEventStream } from '../store/redis-event-stream.js';
import { RedisStore } from '../store/redis-store.js';
import type { Store } from '../store/store.js';
import { HttpServer } from './http-server.js';
import { Leases } from './lease.js';
import type { Metrics } from './metrics.js';
import { storeJobClaims } from './scheduled-job-claims.js';
import type { Scheduler } from './scheduler.js';

const SECRET_KEY = 'chatops:secret';

/** What the composition root is given: the config and the parts that exist before start. */
export interface AssemblyInput {
  config: ChatopsConfig;
  configDir: string;
  log: Logger;
  metrics: Metrics;
  router: Router;
  scheduler: Scheduler;
  instance: string;
  now: () => number;
  gate: WorkGate;
  /** A store to use instead of the configured one (tests). */
  store?: Store;
  /** An adapter module to use instead of the configured one. */
  adapter?: AdapterModule<unknown>;
  auditSinks?: AuditSink[];
  /** An audit integrity problem people must act on. */
  auditAlert(message: string): void;
}

/** The robot's services, each built once and handed only what it needs. */
export interface Assembly {
  store: Store;
  tokens: ActionTokens;
  auditor: Auditor;
  http: HttpServer | undefined;
  adapter: Adapter;
  policy: Policy;
  identity: Identity;
  delivery: Delivery;
  approvals: Approvals;
  /**
   * The replicas' shared event stream, on a Redis store. It takes events from the start, before the
   * adapter connects; reading them starts once the robot is ready.
   */
  events: RedisEventStream | undefined;
  /** The plugins' middleware, in load order (filled as plugins load). */
  middleware: Middleware[];
}

/**
 * The composition root: opens the store and the audit log, creates the HTTP server and the adapter,
 * and wires the services together. Nothing here connects or listens yet; the robot starts them.
 */
export async function assemble(input: AssemblyInput): Promise<Assembly> {
  const opened: { close(): Promise<void> }[] = [];
  try {
    return await wire(input, opened);
  } catch (error) {
    // Releases what was opened (the store, the audit file and its lock), so the process can exit.
    for (const part of opened.reverse()) await part.close().catch(() => undefined);
    throw error;
  }
}

async function wire(input: AssemblyInput, opened: { close(): Promise<void> }[]): Promise<Assembly> {
  const { config, log, metrics, now, router } = input;
  const store = instrumentStore(input.store ?? (await createStore(config.store, { now, log })));
  opened.push(store);
  const leases = new Leases(store, input.instance);
  if (!input.store && config.store.type !== 'memory')
    input.scheduler.shareWith(storeJobClaims(store, leases));
  const tokens = new ActionTokens(await secret(config, store), now);
  const auditor = new Auditor(
    await openAuditLog(input),
    input.auditSinks ?? [],
    config.audit.redactKeys,
    now,
  );
  opened.push(auditor);
  const http = config.http
    ? new HttpServer({
        host: config.http.host,
        port: config.http.port,
        log: log.child({ component: 'http' }),
        metrics,
        isReady: () => input.gate.running && adapter.isReady() && store.isAvailable(),
      })
    : undefined;
  const events =
    store instanceof RedisStore && config.store.type === 'redis'
      ? new RedisEventStream(store, {
          consumer: leases.holder,
          leaseMs: config.store.eventLease,
          deliveryTtlMs: EVENT_TTL_MS,
          log: log.child({ component: 'event-stream' }),
          handle: (incoming) => dispatcher.handleQueued(incoming),
          track: (work) => input.gate.track(work),
        })
      : undefined;
  const adapterModule = input.adapter ?? (await loadAdapterModule(config.adapter, input.configDir));
  const host: AdapterHost = {
    robotName: config.name,
    log: log.child({ component: 'adapter' }),
    store,
    metrics,
    http,
    durableIntake: events !== undefined,
    receive: (incoming) => dispatcher.receive(incoming),
  };
  const adapter = await adapterModule.create(host, adapterConfig(config, adapterModule));
  const policy = new Policy(config.auth, { homeTeams: () => adapter.homeTeams?.() ?? [] });
  const identity = new Identity(policy, adapter, now);
  const delivery = new Delivery({
    adapter,
    adapterName: config.adapter,
    notifications: config.notifications,
    signer: new CardSigner(router, tokens, config.actions.ttl, now),
    postedCards: new PostedCards(store),
    log,
  });
  const approvals: Approvals = new Approvals({
    store,
    now,
    maxPending: config.auth.maxPendingApprovals,
    auditor,
    policy,
    update: (ref, card) => delivery.update(ref, card),
    runApproved: (request, approver) => dispatcher.runApproved(request, approver),
  });
  const limit = config.auth.rateLimit;
  const middleware: Middleware[] = [];
  const dispatcher: Dispatcher = new Dispatcher({
    name: config.name,
    prefix: config.prefix,
    allowBots: config.auth.allowBots,
    timeoutMs: config.timeout,
    log,
    router,
    tokens,
    identity,
    policy,
    auditor,
    delivery,
    store,
    metrics,
    steps: builtInSteps({
      policy,
      auditor,
      approvals,
      router,
      store,
      limiter: limit === false ? undefined : new RateLimiter(store, limit),
      now,
    }),
    middleware,
    intake: events,
    gate: input.gate,
  });
  return {
    store,
    tokens,
    auditor,
    http,
    adapter,
    policy,
    identity,
    delivery,
    approvals,
    events,
    middleware,
  };
}

async function openAuditLog(input: AssemblyInput): Promise<AuditLog | undefined> {
  const { config, metrics, log } = input;
  if (!config.audit.enabled) return undefined;
  const anchoring = anchoringFromConfig(config.audit, {
    onBacklogFull: (sink, backlog) =>
      input.auditAlert(
        `audit sink ${sink} is full: ${backlog} lines are not shipped yet (they stay in the audit file and are sent when it recovers)`,
      ),
    onSendError: (sink, error) => {
      metrics
        .counter('chatops_audit_sink_errors_total', 'Failed sends to an audit sink (retried)', ['sink'])
        .inc({ sink });
      log.warn({ err: error, sink }, 'audit sink send failed; retrying');
    },
  });
  const auditLog = await AuditLog.open({
    path: config.audit.path,
    fsync: config.audit.fsync,
    maxBytes: config.audit.maxBytes,
    sinks: input.auditSinks,
    redactKeys: config.audit.redactKeys,
    instance: input.instance,
    ...(anchoring ? { anchoring } : {}),
    onWarning: (message, error) => log.warn({ err: error }, message),
    onAlert: (message) => input.auditAlert(message),
  });
  metrics.watchAuditShipping(() => auditLog.shippingStats());
  return auditLog;
}

/** The key that signs buttons: from the config, or made once and kept in the store. */
async function secret(config: ChatopsConfig, store: Store): Promise<string> {
  if (config.secret) return config.secret;
  await store.setIfAbsent(SECRET_KEY, randomBytes(32).toString('base64url'));
  return (await store.get<string>(SECRET_KEY))!;
}
