import type { Logger } from 'pino';
import type { HttpRegistrar } from '../chat/adapter.js';
import type { Reply } from '../chat/card.js';
import type { Conversation, MessageRef } from '../chat/incoming.js';
import type { Middleware } from '../pipeline/context.js';
import type { Registration, Router } from '../router/router.js';
import type { Metrics } from '../runtime/metrics.js';
import type { Scheduler } from '../runtime/scheduler.js';
import { pluginStore } from '../store/plugin-store.js';
import type { Store } from '../store/store.js';
import type { ActionSpec, Bot, CommandSpec, ErrorHandler, ListenerSpec } from './plugin.js';
import { PluginErrors } from './plugin-errors.js';

/** The robot services a plugin's Bot API is built on. */
export interface PluginServices {
  name: string;
  configDir: string;
  log: Logger;
  store: Store;
  metrics: Metrics;
  http?: HttpRegistrar;
  router: Router;
  scheduler: Scheduler;
  middleware: Middleware[];
  /** Error hooks every plugin's errors go to (`bot.onError(…, { scope: 'robot' })`). */
  errorHooks: ErrorHandler[];
  notify(route: string, reply: Reply): Promise<MessageRef[]>;
  send(conversation: Conversation | string, reply: Reply): Promise<MessageRef | undefined>;
  update(ref: MessageRef, reply: Reply): Promise<void>;
  now(): number;
}

/** One plugin's Bot API, and a way to take back everything it registered. */
export interface PluginHandle {
  bot: Bot;
  /** Removes the plugin's commands, actions, listeners, middleware and jobs (its setup failed). */
  rollback(): void;
}

/** The Bot API handed to one plugin's `setup`: registrations are tagged with the plugin's name. */
export function createBot(plugin: string, services: PluginServices): PluginHandle {
  const log = services.log.child({ plugin });
  const errors = new PluginErrors(plugin, services.errorHooks, log);
  const middleware: Middleware[] = [];
  const jobs: string[] = [];
  const registrations: Registration[] = [];
  const bot: Bot = {
    plugin,
    name: services.name,
    configDir: services.configDir,
    log,
    store: pluginStore(services.store, plugin),
    metrics: services.metrics,
    http: services.http,
    // The parser checks each declared argument at run time, so the typed handler gets what it declares.
    command: (spec) => {
      const run = errors.handler(spec.run);
      const path = services.router.addCommand(plugin, { ...spec, run } as unknown as CommandSpec).path;
      registrations.push({ type: 'command', path });
    },
    action: (id, spec) => {
      services.router.addAction(plugin, id, {
        ...spec,
        run: errors.handler(spec.run),
      } as unknown as ActionSpec);
      registrations.push({ type: 'action', id });
    },
    hear: (pattern, spec) => {
      const id = services.router.addListener(plugin, pattern, listener(spec), false);
      registrations.push({ type: 'listener', id });
    },
    respond: (pattern, spec) => {
      const id = services.router.addListener(plugin, pattern, listener(spec), true);
      registrations.push({ type: 'listener', id });
    },
    use: (added) => {
      // Each request starts with an empty `state`; the plugin's type parameter describes what it puts there.
      const wrapped = errors.middleware(added as Middleware);
      services.middleware.push(wrapped);
      middleware.push(wrapped);
    },
    every: (schedule, name, fn, options) => {
      services.scheduler.add(schedule, name, errors.job(name, fn), options);
      jobs.push(name);
    },
    notify: (route, reply) => services.notify(route, reply),
    send: (conversation, reply) => services.send(conversation, reply),
    update: (ref, reply) => services.update(ref, reply),
    now: () => services.now(),
    onError: (handler, options) => errors.add(handler, options?.scope),
  };
  const rollback = () => {
    for (const registration of registrations) services.router.remove(registration);
    for (const added of middleware) {
      const index = services.middleware.indexOf(added);
      if (index >= 0) services.middleware.splice(index, 1);
    }
    for (const name of jobs) services.scheduler.remove(name);
  };
  return { bot, rollback };

  function listener(spec: ListenerSpec): ListenerSpec {
    // Anything but a spec object is left to the router, which says what is missing.
    if (typeof spec !== 'object' || spec === null || typeof spec.run !== 'function') return spec;
    return { ...spec, run: errors.handler(spec.run) };
  }
}
