import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from './app-error.js';
import { newId } from './ids.js';

/** The version the emulated server reports (REST `X-Version-Id`, WebSocket `hello` and pong). */
export const SERVER_VERSION = '11.0.0.11.0.0.emulator.false';
const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** A JSON reply with exactly `Content-Type: application/json` (Client4 compares it with `===`). */
export function sendJson(res: ServerResponse, status: number, body: unknown, method = 'GET'): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('X-Version-Id', SERVER_VERSION);
  res.setHeader('X-Request-Id', newId());
  if (method === 'GET') res.setHeader('Expires', '0');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendAppError(res: ServerResponse, error: AppError): void {
  sendJson(res, error.statusCode, error.toJSON());
}

/** What `http.Error(w, "limit exceeded", 429)` writes, with the throttled headers. */
export function sendRateLimited(res: ServerResponse, retryAfterSeconds: number): void {
  res.statusCode = 429;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-RateLimit-Limit', '10');
  res.setHeader('X-RateLimit-Remaining', '0');
  res.setHeader('X-RateLimit-Reset', String(retryAfterSeconds));
  res.setHeader('Retry-After', String(retryAfterSeconds));
  res.end('limit exceeded\n');
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new AppError(413, 'api.context.request_body_too_large.app_error', 'Request body is too large.');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body or answers 400 `invalid_body_param` like the server. */
export function parseJsonBody(body: Buffer, name: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError(
      400,
      'api.context.invalid_body_param.app_error',
      `Invalid or missing ${name} in request body.`,
    );
  }
}
