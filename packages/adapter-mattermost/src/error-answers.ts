import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** What `undici:request:headers` publishes (Node's fetch); only the fields used here. */
interface RequestHeadersMessage {
  request: { origin?: unknown; path?: unknown };
  response: { statusCode: number; headers: (Buffer | string)[] };
}

interface Answer {
  status: number;
  headers: Headers;
}

const CHANNEL = 'undici:request:headers';
/** Error answers remembered per path; enough for the calls in flight at once. */
const KEPT = 200;

/**
 * The status and headers of recent error answers (4xx/5xx) from one origin, seen on Node's public
 * diagnostics channel for fetch. Client4 drops both when a call fails; a retry needs them.
 */
export class ErrorAnswers {
  private readonly byPath = new Map<string, Answer>();
  private readonly listener = (message: unknown) => this.note(message as RequestHeadersMessage);

  constructor(private readonly origin: string) {
    subscribe(CHANNEL, this.listener);
  }

  /** The status of the last error answer for `path`, or 0. */
  statusOf(path: string): number {
    return this.byPath.get(path)?.status ?? 0;
  }

  /** The headers of the last error answer for `path` (empty when none was seen). */
  headersOf(path: string): Headers {
    return this.byPath.get(path)?.headers ?? new Headers();
  }

  close(): void {
    unsubscribe(CHANNEL, this.listener);
    this.byPath.clear();
  }

  private note({ request, response }: RequestHeadersMessage): void {
    if (request.origin !== this.origin || response.statusCode < 400) return;
    const path = String(request.path ?? '').split('?')[0] ?? '';
    const headers = new Headers();
    for (let index = 0; index + 1 < response.headers.length; index += 2) {
      headers.append(String(response.headers[index]), String(response.headers[index + 1]));
    }
    this.byPath.delete(path);
    this.byPath.set(path, { status: response.statusCode, headers });
    if (this.byPath.size > KEPT) this.byPath.delete(this.byPath.keys().next().value as string);
  }
}
