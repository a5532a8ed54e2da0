import { posix } from 'node:path';

/** What a Hubot script's HTTP callback gets as `res`. */
export interface ScopedResponse {
  statusCode: number;
  statusMessage: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
}

/** `(err, res, body)`, as Hubot's scoped-http-client calls it. */
export type ScopedCallback = (
  error: Error | null,
  response: ScopedResponse | null,
  body: string | null,
) => void;

interface ClientOptions {
  url: URL;
  headers: Record<string, string>;
  query: Record<string, string>;
  timeoutMs?: number;
  auth?: string;
}

/**
 * Hubot's scoped HTTP client (`robot.http(url).header(…).query(…).get()((err, res, body) => …)`) over
 * `fetch`. The request goes out when the verb's returned function is called, with or without a callback.
 */
export class ScopedHttpClient {
  private readonly options: ClientOptions;

  constructor(
    url: string,
    private readonly onUnhandledError: (error: Error) => void = () => undefined,
  ) {
    const parsed = new URL(url);
    const query: Record<string, string> = {};
    parsed.searchParams.forEach((value, key) => {
      query[key] = value;
    });
    parsed.search = '';
    const auth = parsed.username
      ? `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`
      : undefined;
    parsed.username = '';
    parsed.password = '';
    this.options = { url: parsed, headers: {}, query, auth };
  }

  header(name: string, value: string): this {
    this.options.headers[name] = value;
    return this;
  }

  headers(headers: Record<string, string>): this {
    Object.assign(this.options.headers, headers);
    return this;
  }

  /** `query('q', 'x')` sets (or, without a value, removes) one parameter; `query({...})` sets several. */
  query(key: string | Record<string, unknown>, value?: unknown): this {
    if (typeof key === 'string') {
      if (value === undefined || value === null || value === '') delete this.options.query[key];
      else this.options.query[key] = String(value);
    } else {
      for (const [name, item] of Object.entries(key)) this.options.query[name] = String(item);
    }
    return this;
  }

  /** Joins a relative path onto the current one; an absolute path replaces it. */
  path(path: string): this {
    const current = this.options.url.pathname || '/';
    this.options.url.pathname = path.startsWith('/') ? path : posix.join(current, path);
    return this;
  }

  host(host: string): this {
    if (host) this.options.url.hostname = host;
    return this;
  }

  port(port: number | string): this {
    if (port !== '' && port !== undefined) this.options.url.port = String(port);
    return this;
  }

  protocol(protocol: string): this {
    if (protocol) this.options.url.protocol = protocol;
    return this;
  }

  /** `auth('user', 'pass')` or `auth('user:pass')`; no argument removes it. */
  auth(user?: string, password?: string): this {
    if (!user) this.options.auth = undefined;
    else
      this.options.auth = password === undefined && user.includes(':') ? user : `${user}:${password ?? ''}`;
    return this;
  }

  timeout(milliseconds: number): this {
    this.options.timeoutMs = milliseconds;
    return this;
  }

  /** Accepted for compatibility; bodies are read as UTF-8. */
  encoding(_encoding?: string): this {
    return this;
  }

  get(): (callback?: ScopedCallback) => this {
    return this.request('GET');
  }

  post(body?: unknown): (callback?: ScopedCallback) => this {
    return this.request('POST', body);
  }

  put(body?: unknown): (callback?: ScopedCallback) => this {
    return this.request('PUT', body);
  }

  patch(body?: unknown): (callback?: ScopedCallback) => this {
    return this.request('PATCH', body);
  }

  delete(body?: unknown): (callback?: ScopedCallback) => this {
    return this.request('DELETE', body);
  }

  del(body?: unknown): (callback?: ScopedCallback) => this {
    return this.delete(body);
  }

  head(): (callback?: ScopedCallback) => this {
    return this.request('HEAD');
  }

  /** The URL the request goes to, query included. */
  url(): string {
    const url = new URL(this.options.url);
    for (const [key, value] of Object.entries(this.options.query)) url.searchParams.set(key, value);
    return url.href;
  }

  private request(method: string, body?: unknown): (callback?: ScopedCallback) => this {
    return (callback) => {
      this.send(method, body).then(
        ({ response, text }) => callback?.(null, response, text),
        (error: Error) => (callback ? callback(error, null, null) : this.onUnhandledError(error)),
      );
      return this;
    };
  }

  private async send(method: string, body: unknown): Promise<{ response: ScopedResponse; text: string }> {
    const headers = new Headers(this.options.headers);
    if (this.options.auth)
      headers.set('Authorization', `Basic ${Buffer.from(this.options.auth).toString('base64')}`);
    const payload =
      body === undefined || body === null || method === 'GET' || method === 'HEAD' ? undefined : body;
    const result = await fetch(this.url(), {
      method,
      headers,
      body:
        payload === undefined
          ? undefined
          : typeof payload === 'string' || payload instanceof Uint8Array
            ? payload
            : String(payload),
      signal: this.options.timeoutMs ? AbortSignal.timeout(this.options.timeoutMs) : undefined,
    });
    const text = await result.text();
    const responseHeaders: Record<string, string> = {};
    result.headers.forEach((value, key) => {
      responseHeaders[key] = value;
    });
    return {
      response: { statusCode: result.status, statusMessage: result.statusText, headers: responseHeaders },
      text,
    };
  }
}
