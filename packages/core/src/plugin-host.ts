import type { Logger } from 'pino';
import type { HttpRegistrar } from './adapter.js';
import type { Reply } from './card.js';
import type { Middleware } from './context.js';
import type { Conversation, MessageRef } from './incoming.js';
import type { Metrics } from './metrics.js';
import type { Bot } from './plugin.js';
import type { Router } from './router/router.js';
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

/** The Bot API handed to one plugin's `setup`: registrations are tagged with the plugin's name. */
export function createBot(plugin: string, services: PluginServices): Bot {
  const log = services.log.child({ plugin });
  return {
    plugin,
    name: services.name,
    configDir: services.configDir,
    log,
    store: services.store,
    metrics: services.metrics,
    http: services.http,
    command: (spec) => void services.router.addCommand(plugin, spec),
    action: (id, spec) => services.router.addAction(plugin, id, spec),
    hear: (pattern, handler) => services.router.addListener(plugin, pattern, handler, false),
    respond: (pattern, handler) => services.router.addListener(plugin, pattern, handler, true),
    use: (middleware) => void services.middleware.push(middleware),
    every: (schedule, name, fn, options) => services.scheduler.add(schedule, name, fn, options),
    notify: (route, reply) => services.notify(route, reply),
    send: (conversation, reply) => services.send(conversation, reply),
    update: (ref, reply) => services.update(ref, reply),
    now: () => services.now(),
  };
}
