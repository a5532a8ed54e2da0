import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './call-log.js';
import { parseBody, readBody } from './request-body.js';
import type { ResponseUrls } from './response-urls.js';
import { METHOD_SCOPES } from './scopes.js';
import type { SocketModeServer } from './socket-mode-server.js';
import { bearerToken, checkToken, type EmulatorTokens } from './token-check.js';
import { WebApiError } from './web-api-error.js';
import type { WebApiMethods } from './web-api-methods.js';
import type { Workspace } from './workspace.js';

/** What the HTTP side of the emulator works with. */
export interface EmulatorHttpDeps {
  workspace: Workspace;
  tokens: EmulatorTokens;
  scopes: Set<string>;
  log: CallLog;
  methods: WebApiMethods;
  responseUrls: ResponseUrls;
  socket: SocketModeServer;
  baseUrl: () => string;
}

interface RateLimitRule {
  method: string;
  remaining: number;
  retryAfter: number;
}

interface FailureRule {
  method: string;
  remaining: number;
  error: string;
}

/**
 * The emulator's HTTP endpoints: the Web API (`/api/<method>`: tokens, scopes, injected 429s and
 * errors, Slack's envelopes), upload URLs (`/upload/v1/<file>`) and response URLs (`/hooks/…`).
 * Every request is recorded.
 */
export class EmulatorHttp {
  private readonly rateLimits: RateLimitRule[] = [];
  private readonly failures: FailureRule[] = [];

  constructor(private readonly deps: EmulatorHttpDeps) {}

  /** The next `times` calls of `method` get HTTP 429 with `Retry-After: retryAfter`. */
  rateLimit(method: string, times: number, retryAfter: number): void {
    this.rateLimits.push({ method, remaining: times, retryAfter });
  }

  /** The next `times` calls of `method` get `{"ok":false,"error":error}`. */
  failNext(method: string, error: string, times: number): void {
    this.failures.push({ method, remaining: times, error });
  }

  /** Answers one HTTP request. */
  async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.deps.baseUrl());
    if (url.pathname.startsWith('/api/')) return this.webApi(url, request, response);
    if (url.pathname.startsWith('/upload/v1/') && request.method === 'POST')
      return this.upload(url, request, response);
    if (url.pathname.startsWith('/hooks/') && request.method === 'POST')
      return this.responseUrl(url, request, response);
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  }

  private async webApi(url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = url.pathname.slice('/api/'.length);
    const body = await parseBody(await readBody(request), request.headers['content-type']);
    const args: Record<string, unknown> = { ...Object.fromEntries(url.searchParams), ...body.fields };
    const token = bearerToken(request.headers.authorization, args);
    delete args.token;
    const record = (status: number, json: Record<string, unknown>) => {
      this.deps.log.record({
        method,
        args,
        contentType: body.contentType,
        status,
        response: json,
        at: Date.now(),
        ...(token ? { token } : {}),
      });
    };
    const limited = this.rateLimits.find((rule) => rule.method === method && rule.remaining > 0);
    if (limited) {
      limited.remaining -= 1;
      const json = { ok: false, error: 'ratelimited' };
      response.writeHead(429, {
        'content-type': 'application/json; charset=utf-8',
        'retry-after': String(limited.retryAfter),
      });
      response.end(JSON.stringify(json));
      record(429, json);
      return;
    }
    let json: Record<string, unknown>;
    try {
      json = { ok: true, ...this.call(method, token, args) };
    } catch (error) {
      if (!(error instanceof WebApiError)) throw error;
      json = { ok: false, error: error.code, ...error.extra };
    }
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'x-oauth-scopes': [...this.deps.scopes].join(','),
      ...(METHOD_SCOPES[method] ? { 'x-accepted-oauth-scopes': METHOD_SCOPES[method].join(',') } : {}),
    });
    response.end(JSON.stringify(json));
    record(200, json);
  }

  private call(
    method: string,
    token: string | undefined,
    args: Record<string, unknown>,
  ): Record<string, unknown> {
    if (method === 'apps.connections.open') {
      checkToken(method, token, this.deps.tokens);
      return { url: this.deps.socket.issueUrl(this.deps.baseUrl().replace(/^http/, 'ws')) };
    }
    const handler = this.deps.methods.table[method];
    if (!handler) throw new WebApiError('unknown_method');
    checkToken(method, token, this.deps.tokens);
    const failure = this.failures.find((rule) => rule.method === method && rule.remaining > 0);
    if (failure) {
      failure.remaining -= 1;
      throw new WebApiError(failure.error);
    }
    const needed = METHOD_SCOPES[method];
    if (needed && !needed.some((scope) => this.deps.scopes.has(scope))) {
      throw new WebApiError('missing_scope', {
        needed: needed.join(','),
        provided: [...this.deps.scopes].join(','),
      });
    }
    return handler(args);
  }

  private async upload(url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const id = url.pathname.slice('/upload/v1/'.length);
    const body = await parseBody(await readBody(request), request.headers['content-type']);
    const file = this.deps.workspace.files.get(id);
    const content =
      body.files.body ??
      body.files.file ??
      (body.contentType === 'multipart/form-data' ? undefined : body.raw);
    const status = file && content ? 200 : 404;
    if (file && content) {
      file.content = content;
      file.length = content.length;
    }
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(status === 200 ? `OK - ${content?.length}` : 'file not found');
    this.deps.log.record({
      method: 'file.upload',
      args: { file_id: id, length: content?.length ?? 0 },
      contentType: body.contentType,
      status,
      response: {},
      at: Date.now(),
    });
  }

  private async responseUrl(url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await parseBody(await readBody(request), request.headers['content-type']);
    const fields =
      typeof body.fields.payload === 'string'
        ? (JSON.parse(body.fields.payload) as Record<string, unknown>)
        : body.fields;
    const result = this.deps.responseUrls.handle(url.pathname, fields);
    response.writeHead(result.status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(result.body));
    this.deps.log.record({
      method: 'response_url',
      args: fields,
      contentType: body.contentType,
      status: result.status,
      response: result.body,
      url: url.toString(),
      at: Date.now(),
    });
  }
}
