import { InFlight } from '@chatops/core';
import type { Message, User } from './message.js';
import type { ScopedHttpClient } from './scoped-http-client.js';

/** Where a reply goes: Hubot's envelope. */
export interface Envelope {
  room?: string;
  user?: User;
  message?: Message;
}

/** How a response method's strings leave: `send`, `reply`, `emote`, `topic`, `play`, `locked`. */
export type SendMethod = 'send' | 'reply' | 'emote' | 'topic' | 'play' | 'locked';

/** What `responseMiddleware` gets; it may rewrite `strings` or return `false` to drop the send. */
export interface ResponseContext {
  response: Response;
  strings: string[];
  method: SendMethod;
  plaintext?: true;
}

/** What a Response needs from the robot. */
export interface ResponseHost {
  runResponseMiddleware(context: ResponseContext): Promise<boolean>;
  deliver(method: SendMethod, envelope: Envelope, strings: string[]): Promise<void>;
  http(url: string, options?: unknown): ScopedHttpClient;
}

/**
 * Hubot's `Response` (`res`/`msg` in a listener): `send`, `reply`, `emote`, `topic`, `random`, `finish`,
 * `match`, `message`, `envelope`, `http`. Sends go through `responseMiddleware`; sends a script starts
 * without awaiting them are awaited before the request is audited as done.
 */
export class Response {
  readonly envelope: Envelope;
  private readonly pending = new InFlight();

  constructor(
    readonly robot: ResponseHost,
    readonly message: Message,
    readonly match?: unknown,
  ) {
    this.envelope = { room: message.room, user: message.user, message };
  }

  send(...strings: string[]): Promise<void> {
    return this.run('send', strings, true);
  }

  emote(...strings: string[]): Promise<void> {
    return this.run('emote', strings, true);
  }

  reply(...strings: string[]): Promise<void> {
    return this.run('reply', strings, true);
  }

  topic(...strings: string[]): Promise<void> {
    return this.run('topic', strings, true);
  }

  play(...strings: string[]): Promise<void> {
    return this.run('play', strings, false);
  }

  locked(...strings: string[]): Promise<void> {
    return this.run('locked', strings, true);
  }

  random<T>(items: readonly T[]): T {
    return items[Math.floor(Math.random() * items.length)]!;
  }

  finish(): void {
    this.message.finish();
  }

  http(url: string, options?: unknown): ScopedHttpClient {
    return this.robot.http(url, options);
  }

  /** Waits for the sends started so far (their errors are reported where they were awaited, or logged). */
  async settled(): Promise<void> {
    await this.pending.drain();
  }

  private run(method: SendMethod, strings: string[], plaintext: boolean): Promise<void> {
    const work = (async () => {
      const context: ResponseContext = {
        response: this,
        strings,
        method,
        ...(plaintext ? { plaintext: true as const } : {}),
      };
      if (!(await this.robot.runResponseMiddleware(context))) return;
      await this.robot.deliver(method, this.envelope, context.strings);
    })();
    // A script that does not await its send must not leave an unhandled rejection behind: tracking
    // handles the rejection of `work` for the set, and the caller gets `work` itself.
    return this.pending.track(work);
  }
}
