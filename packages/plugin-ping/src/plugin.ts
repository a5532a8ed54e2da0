import { type Bot, type Context, definePlugin, UserFacingError } from '@chatops/core';
import { resultCard, summaryCard, targetListCard, unknownTargetMessage } from './cards.js';
import { type PingConfig, pingConfigSchema } from './config.js';
import { LastKnownResults } from './last-known-results.js';
import { Monitor } from './monitor/monitor.js';
import { Restarter } from './restart.js';
import { type Target, TargetCatalog } from './target-catalog.js';
import { TargetChecker } from './target-checker.js';

/** Name of the scheduled monitor job (`bot.runJob('ping.monitor')` in tests). */
export const MONITOR_JOB_NAME = 'ping.monitor';

/**
 * The ping plugin: `ping <target>`, `ping`, `ping all`, the "Ping again" and "Restart" buttons and
 * optional monitors that alert a notification route.
 */
export const pingPlugin = definePlugin({
  name: 'ping',
  config: pingConfigSchema,
  setup(bot: Bot, config: PingConfig) {
    const catalog = new TargetCatalog(config, bot.configDir);
    const lastKnown = new LastKnownResults(bot.store);
    const checker = new TargetChecker(lastKnown, () => bot.now(), bot.metrics);
    const restarter = new Restarter(checker);

    const findTarget = (asked: unknown): Target => {
      const name = typeof asked === 'string' ? asked : String(asked ?? '');
      const target = catalog.find(name);
      if (!target) throw new UserFacingError(unknownTargetMessage(name, catalog.all));
      return target;
    };

    bot.command({
      name: 'ping',
      args: '[target]',
      effect: 'read',
      permission: 'ping.check',
      summary: 'Check a named environment: HEALTHY, DEGRADED or UNHEALTHY (`ping all` checks every one)',
      description:
        'Without a target, lists the targets with their last known state. Only targets named in the ' +
        'configuration can be checked.',
      examples: ['ping uat', 'ping all', 'ping'],
      run: async (ctx: Context) => {
        const asked = ctx.args['target'];
        if (asked === undefined || asked === '') {
          const names = catalog.all.map((target) => target.name);
          return targetListCard(catalog.all, await lastKnown.read(names), bot.now());
        }
        if (String(asked).toLowerCase() === 'all') {
          if (catalog.all.length === 0) return targetListCard([], new Map(), bot.now());
          return summaryCard(await checker.checkAll(catalog.all, ctx.signal));
        }
        const target = findTarget(asked);
        return resultCard(target, await checker.check(target, ctx.signal));
      },
    });

    bot.action('ping.check', {
      effect: 'read',
      run: async (ctx: Context) => {
        const target = findTarget(ctx.args['target']);
        return resultCard(target, await checker.check(target, ctx.signal));
      },
    });

    bot.action('ping.restart', {
      effect: 'write',
      run: async (ctx: Context) => {
        const target = findTarget(ctx.args['target']);
        if (!target.restart) throw new UserFacingError(`${target.name} has no restart configured.`);
        return restarter.restart(ctx, target, target.restart);
      },
    });

    if (config.monitor) {
      const { monitor } = config;
      const watched = monitor.targets ? monitor.targets.map(findTarget) : catalog.all;
      const runner = new Monitor(bot, checker, [...new Set(watched)], {
        route: monitor.notify,
        failures: monitor.failures,
        remindEveryMs: monitor.remindEvery,
      });
      bot.every(monitor.every, MONITOR_JOB_NAME, (signal) => runner.run(signal));
    }
  },
});
