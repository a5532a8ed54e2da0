import { tracingEnabled, withSpan } from '../runtime/tracing.js';
import type { Context, Middleware } from './context.js';

/** Koa-style composition: each middleware may run code before and after `next()`, or stop the chain. */
export function compose(
  middleware: readonly Middleware[],
): (ctx: Context, last: () => Promise<void>) => Promise<void> {
  return (ctx, last) => {
    let called = -1;
    const dispatch = async (index: number): Promise<void> => {
      if (index <= called) throw new Error('next() called more than once');
      called = index;
      const current = middleware[index];
      if (!current) return last();
      const next = () => dispatch(index + 1);
      // With tracing each step is a span; the steps after it (and the handler) nest inside, as they run.
      if (tracingEnabled()) await withSpan(`step ${current.name || index}`, {}, () => current(ctx, next));
      else await current(ctx, next);
    };
    return dispatch(0);
  };
}
