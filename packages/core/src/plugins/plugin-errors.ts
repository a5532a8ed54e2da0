import type { Logger } from 'pino';
import type { Args, Context, Middleware } from '../pipeline/context.js';
import type { JobFunction } from '../runtime/scheduler.js';
import type { ErrorHandler, ErrorOrigin, Handler } from './plugin.js';
import { isUsageError, isUserFacingError } from './plugin.js';

/** Errors already given to hooks, so one passing through several middleware is reported once. */
const reported = new WeakSet<object>();

/** Calls a plugin's error hooks, then the robot-wide ones, for unexpected errors of its code. */
export class PluginErrors {
  private readonly own: ErrorHandler[] = [];

  constructor(
    private readonly plugin: string,
    private readonly robotWide: ErrorHandler[],
    private readonly log: Logger,
  ) {}

  add(handler: ErrorHandler, scope: 'plugin' | 'robot' = 'plugin'): void {
    (scope === 'robot' ? this.robotWide : this.own).push(handler);
  }

  /** The handler, reporting what it throws before passing it on. */
  handler<A extends Args>(run: Handler<A>): Handler<A> {
    return (ctx) => {
      if (this.own.length === 0 && this.robotWide.length === 0) return run(ctx);
      try {
        const result = run(ctx);
        return result instanceof Promise ? result.catch((error) => this.failed(error, ctx)) : result;
      } catch (error) {
        return this.failed(error, ctx);
      }
    };
  }

  middleware(middleware: Middleware): Middleware {
    const name = middleware.name || 'middleware';
    return async (ctx, next) => {
      try {
        await middleware(ctx, next);
      } catch (error) {
        await this.report(error, { kind: 'middleware', name, ctx });
      }
    };
  }

  job(name: string, fn: JobFunction): JobFunction {
    return async (signal, run) => {
      try {
        await fn(signal, run);
      } catch (error) {
        await this.report(error, { kind: 'job', name });
      }
    };
  }

  private failed(error: unknown, ctx: Context): Promise<never> {
    return this.report(error, { kind: ctx.invocation.kind, name: ctx.invocation.name, ctx });
  }

  /** Runs the hooks (errors in them are logged), then rethrows for the robot's usual handling. */
  private async report(error: unknown, origin: Omit<ErrorOrigin, 'plugin'>): Promise<never> {
    const hooks = [...this.own, ...this.robotWide];
    const known = typeof error === 'object' && error !== null && reported.has(error);
    if (hooks.length > 0 && !known && !isUsageError(error) && !isUserFacingError(error)) {
      if (typeof error === 'object' && error !== null) reported.add(error);
      for (const hook of hooks) {
        try {
          await hook(error, { plugin: this.plugin, ...origin });
        } catch (hookError) {
          this.log.error({ err: hookError, plugin: this.plugin }, 'error hook failed');
        }
      }
    }
    throw error;
  }
}
