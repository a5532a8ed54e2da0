import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { AuditRecord } from '../audit/audit-record.js';
import { MemoryAuditSink } from '../audit/audit-sink.js';
import type { Adapter, AdapterModule } from '../chat/adapter.js';
import type { Conversation } from '../chat/incoming.js';
import { type ChatopsConfigInput, configSchema } from '../config/schema.js';
import type { DispatchResult } from '../pipeline/outcome.js';
import type { PluginEntry } from '../plugins/plugin-loader.js';
import { Robot } from '../runtime/robot.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/store.js';
import { MemoryAdapter, type TestMessage } from './memory-adapter.js';

/** Options of {@link createTestBot}. */
export interface TestBotOptions {
  /** Plugins to load: a definition, or `[definition, config]` (a readonly tuple works too). */
  plugins?: readonly PluginEntry[];
  /** Robot config (partial); defaults: memory store, audit in memory only, no HTTP. */
  config?: Partial<ChatopsConfigInput>;
  /** Clock for `bot.now()`, token expiry, approvals and rate limits. */
  now?: () => number;
  /** Share a store between bots to simulate a restart. */
  store?: Store;
  /** pino level of the robot's log, printed to stdout: `debug`, `info`, … (default `silent`). */
  logLevel?: string;
  /**
   * Resolve even when a plugin fails to load (bad config, `setup` threw), to test how the robot
   * reports it (`bot.robot.plugins`, `status`). By default `createTestBot` rejects with that error.
   */
  allowPluginFailures?: boolean;
  /** Where relative paths and package names in the config resolve from (default a temporary folder). */
  configDir?: string;
  /** Run scheduled jobs on their schedules (default true; `runJob` works either way). */
  scheduler?: boolean;
}

/** Options of {@link createTestBot} with a real adapter. */
export interface AdapterTestBotOptions<C> extends TestBotOptions {
  /**
   * The adapter module to run (e.g. the Slack adapter against its emulator). Its config block goes in
   * `config` under the adapter's name (`config: { slack: { … } }`); `config.adapter` defaults to it.
   */
  adapter: AdapterModule<C>;
}

/** Where `say` speaks. */
export interface SayOptions {
  /** Channel name (default a DM with the bot). */
  channel?: string;
  /** Thread id inside the channel. */
  thread?: string;
  /** Not addressed to the bot (a plain channel message): only `hear` listeners and the name/prefix apply. */
  ambient?: boolean;
}

/** A running robot for tests, on whatever adapter. */
export interface RunningTestBot {
  robot: Robot;
  /** Audit records written so far. */
  readonly audit: AuditRecord[];
  /** Stops the robot and removes its working directory. */
  close(): Promise<void>;
}

/** A running robot on a real adapter: talk to it through the platform's emulator. */
export interface AdapterTestBot extends RunningTestBot {
  adapter: Adapter;
}

/** A running robot on an in-memory adapter, for plugin tests. */
export interface TestBot extends RunningTestBot {
  adapter: MemoryAdapter;
  /** Every message posted so far, latest state. */
  readonly messages: TestMessage[];
  /** The result of the last `say` or `click`. */
  lastResult?: DispatchResult;
  /** Says `text` as `user`; resolves with the messages posted or updated while it was handled. */
  say(user: string, text: string, options?: SayOptions): Promise<TestMessage[]>;
  /** Clicks the button labelled `label` (or number `index`) on `message` as `user`. */
  click(message: TestMessage, label: string | number, user: string): Promise<TestMessage[]>;
  /** Runs a scheduled job now; resolves with the messages it posted or updated. */
  runJob(name: string): Promise<TestMessage[]>;
}

/**
 * Starts a robot with the given plugins on an in-memory adapter (users are `shell:<name>`
 * principals), or on a real adapter given as `adapter`, e.g. against the platform's emulator.
 * @example
 * const bot = await createTestBot({ plugins: [hello] });
 * const [reply] = await bot.say('alice', 'hello world');
 * @example
 * const slack = await SlackEmulator.start();
 * const bot = await createTestBot({
 *   adapter: slackAdapter,
 *   plugins: [hello],
 *   config: { slack: { botToken: slack.tokens.bot, appToken: slack.tokens.app, apiUrl: slack.apiUrl } },
 * });
 * slack.mention({ user: 'alice', channel: 'ops', text: 'hello world' });
 * await slack.waitForCall('chat.postMessage');
 * await bot.close();
 */
export async function createTestBot<C>(options: AdapterTestBotOptions<C>): Promise<AdapterTestBot>;
export async function createTestBot(options?: TestBotOptions): Promise<TestBot>;
export async function createTestBot<C>(
  options: TestBotOptions | AdapterTestBotOptions<C> = {},
): Promise<TestBot | AdapterTestBot> {
  const real = 'adapter' in options ? options.adapter : undefined;
  const memory = real ? undefined : new MemoryAdapter();
  const sink = new MemoryAuditSink();
  const workDir = await mkdtemp(join(tmpdir(), 'chatops-test-'));
  const config = configSchema.parse({
    store: { type: 'memory' },
    ...(real ? { adapter: real.name } : {}),
    ...options.config,
    audit: { enabled: false, path: join(workDir, 'audit.jsonl'), ...options.config?.audit },
  });
  const now = options.now ?? Date.now;
  const robot = new Robot({
    config,
    configDir: options.configDir ?? workDir,
    log: pino({ level: options.logLevel ?? 'silent' }),
    adapter: real ? (real as AdapterModule<unknown>) : memory!.module(),
    plugins: options.plugins ?? [],
    store: options.store ?? new MemoryStore({ now }),
    now,
    auditSinks: [sink],
  });
  const close = async () => {
    await robot.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    await robot.start({ scheduler: options.scheduler !== false });
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const failed = robot.plugins.find((plugin) => !plugin.loaded);
  if (failed && !options.allowPluginFailures) {
    await close();
    throw new Error(`plugin "${failed.name}" failed to load: ${failed.error}`, { cause: failed.cause });
  }
  if (!memory) {
    return {
      robot,
      adapter: robot.adapter,
      get audit() {
        return sink.records;
      },
      close,
    };
  }
  const adapter = memory;

  const during = async (work: () => Promise<DispatchResult | void>): Promise<TestMessage[]> => {
    const from = adapter.events.length;
    const result = await work();
    if (result) bot.lastResult = result;
    return [...new Set(adapter.events.slice(from).map((event) => event.message))];
  };

  const bot: TestBot = {
    robot,
    adapter,
    get messages() {
      return adapter.messages;
    },
    get audit() {
      return sink.records;
    },
    say: (user, text, sayOptions = {}) =>
      during(() =>
        adapter.host!.receive({
          type: 'message',
          platform: 'shell',
          user: { id: user, name: user },
          conversation: conversationFor(user, sayOptions),
          text,
          addressed: !sayOptions.ambient,
        }),
      ),
    click: (message, label, user) => {
      const action =
        typeof label === 'number'
          ? message.card.actions[label]
          : message.card.actions.find((candidate) => candidate.label === label);
      if (!action) {
        const labels = message.card.actions.map((candidate) => candidate.label).join(', ') || 'none';
        throw new Error(`no button "${label}" on the message (buttons: ${labels})`);
      }
      return during(() =>
        adapter.host!.receive({
          type: 'action',
          platform: 'shell',
          user: { id: user, name: user },
          conversation: message.conversation,
          token: action.token,
          message: message.ref,
        }),
      );
    },
    runJob: (name) => during(() => robot.scheduler.runNow(name)),
    close,
  };
  return bot;
}

function conversationFor(user: string, options: SayOptions): Conversation {
  if (!options.channel) return { id: `dm-${user}`, name: `dm-${user}`, kind: 'dm' };
  const name = options.channel.replace(/^#/, '');
  return options.thread
    ? { id: name, name, kind: 'thread', threadId: options.thread }
    : { id: name, name, kind: 'channel' };
}
