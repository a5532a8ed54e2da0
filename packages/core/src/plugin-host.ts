import type { Logger } from 'pino';
import type { HttpRegistrar } from './adapter.js';
import type { Reply } from './card.js';
import type { Middleware } from './context.js';
import type { MessageRef } from './incoming.js';
import type { Metrics } from './metrics.js';
import type { ActionSpec, Bot, CommandSpec, ErrorHandler, Handler, ListenerSpec } from './plugin.js';
import { PluginErrors } from './plugin-errors.js';
import type { Router } from './router/router.js';
import type { Scheduler } from './scheduler.js';
import { pluginStore } from './store/plugin-store.js';
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
  /** Error hooks every plugin's errors go to (`bot.onError(…, { scope: 'robot' })`). */
  errorHooks: ErrorHandler[];
  notify(route: string, reply: Reply): Promise<MessageRef[]>;
  update(ref: MessageRef, reply: Reply): Promise<void>;
  now(): number;
}

/** The Bot API handed to one plugin's `setup`: registrations are tagged with the plugin's name. */
export function createBot(plugin: string, services: PluginServices): Bot {
  const log = services.log.child({ plugin });
  const errors = new PluginErrors(plugin, services.errorHooks, log);
  return {
    plugin,
    name: services.name,
    configDir: services.configDir,
    log,
    store: pluginStore(services.store, plugin),
    metrics: services.metrics,
    http: services.http,
    // The parser checks each declared argument at run time, so the typed handler gets what it declares.
    command: (spec) =>
      void services.router.addCommand(plugin, {
        ...spec,
        run: errors.handler(spec.run),
      } as unknown as CommandSpec),
    action: (id, spec) =>
      services.router.addAction(plugin, id, {
        ...spec,
        run: errors.handler(spec.run),
      } as unknown as ActionSpec),
    hear: (pattern, handler) => services.router.addListener(plugin, pattern, listener(handler), false),
    respond: (pattern, handler) => services.router.addListener(plugin, pattern, listener(handler), true),
    use: (middleware) => void services.middleware.push(errors.middleware(middleware)),
    every: (schedule, name, fn, options) =>
      services.scheduler.add(schedule, name, errors.job(name, fn), options),
    notify: (route, reply) => services.notify(route, reply),
    update: (ref, reply) => services.update(ref, reply),
    now: () => services.now(),
    onError: (handler, options) => errors.add(handler, options?.scope),
  };

  function listener(handler: Handler | ListenerSpec): ListenerSpec {
    const spec = typeof handler === 'function' ? { run: handler } : handler;
    return { ...spec, run: errors.handler(spec.run) };
  }
}
