/** A Hubot 11+ middleware: `async (context) => boolean`; `false` stops processing. */
export type HubotMiddleware<C> = (context: C) => unknown;

/** One of the robot's three middleware stacks (receive, listener, response), run in order. */
export class MiddlewareStack<C> {
  private readonly stack: HubotMiddleware<C>[] = [];

  constructor(private readonly onError: (error: unknown, context: C) => void) {}

  register(middleware: HubotMiddleware<C>): void {
    if (typeof middleware !== 'function' || middleware.length !== 1) {
      throw new Error(
        `Incorrect number of arguments for middleware callback (expected 1, got ${typeof middleware === 'function' ? middleware.length : 0})`,
      );
    }
    this.stack.push(middleware);
  }

  /** True when every middleware let the context through; a throwing middleware stops it. */
  async execute(context: C): Promise<boolean> {
    for (const middleware of this.stack) {
      try {
        if ((await middleware(context)) === false) return false;
      } catch (error) {
        this.onError(error, context);
        return false;
      }
    }
    return true;
  }

  get size(): number {
    return this.stack.length;
  }
}
