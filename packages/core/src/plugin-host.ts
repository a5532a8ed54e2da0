import type { Logger } from 'pino';
import type { HttpRegistrar } from './adapter.js';
import type { Reply } from './card.js';
import type { Middleware } from './context.js';
import type { Conversation, MessageRef } from './incoming.js';
import type { Metrics } from './metrics.js';
import type { Bot } from './plugin.js';
import type { Registration, Router } from './router/router.js';
import type { Scheduler } from './scheduler.js';
import type { Store } from './store.js';

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
  const middleware: Middleware[] = [];
  const jobs: string[] = [];
  const registrations: Registration[] = [];
  const bot: Bot = {
    plugin,
    name: services.name,
    configDir: services.configDir,
    log,
    store: services.store,
    metrics: services.metrics,
    http: services.http,
    command: (spec) => {
      registrations.push({ type: 'command', path: services.router.addCommand(plugin, spec).path });
    },
    action: (id, spec) => {
      services.router.addAction(plugin, id, spec);
      registrations.push({ type: 'action', id });
    },
    hear: (pattern, spec) => {
      registrations.push({ type: 'listener', id: services.router.addListener(plugin, pattern, spec, false) });
    },
    respond: (pattern, spec) => {
      registrations.push({ type: 'listener', id: services.router.addListener(plugin, pattern, spec, true) });
    },
    use: (added) => {
      services.middleware.push(added);
      middleware.push(added);
    },
    every: (schedule, name, fn, options) => {
      services.scheduler.add(schedule, name, fn, options);
      jobs.push(name);
    },
    notify: (route, reply) => services.notify(route, reply),
    send: (conversation, reply) => services.send(conversation, reply),
    update: (ref, reply) => services.update(ref, reply),
    now: () => services.now(),
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
}
