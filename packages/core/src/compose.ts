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
      await current(ctx, () => dispatch(index + 1));
    };
    return dispatch(0);
  };
}
