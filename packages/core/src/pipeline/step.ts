import { tracingEnabled, withSpan } from '../runtime/tracing.js';
import type { Context, Middleware } from './context.js';
import type { PipelineRequest } from './pipeline-request.js';

/**
 * One built-in step of the request pipeline. Like middleware it calls `next()` to go on, or answers
 * and returns to stop the request; unlike plugin middleware it reads and writes the request record.
 */
export type Step = (ctx: Context, request: PipelineRequest, next: () => Promise<void>) => Promise<void>;

/**
 * Runs the built-in steps, then the plugins' middleware, then `last` (the handler). Each may run code
 * before and after `next()`, or stop the chain. With tracing each one is a span named after it.
 */
export function runPipeline(
  steps: readonly Step[],
  middleware: readonly Middleware[],
  ctx: Context,
  request: PipelineRequest,
  last: () => Promise<void>,
): Promise<void> {
  let called = -1;
  const total = steps.length + middleware.length;
  const runOne = (index: number, next: () => Promise<void>): Promise<void> => {
    const step = steps[index];
    return step ? step(ctx, request, next) : middleware[index - steps.length]!(ctx, next);
  };
  const dispatch = async (index: number): Promise<void> => {
    if (index <= called) throw new Error('next() called more than once');
    called = index;
    if (index >= total) return last();
    const next = () => dispatch(index + 1);
    if (!tracingEnabled()) return runOne(index, next);
    const name = (steps[index] ?? middleware[index - steps.length]!).name || String(index);
    await withSpan(`step ${name}`, {}, () => runOne(index, next));
  };
  return dispatch(0);
}
