import type { HttpRegistrar } from '@chatops/core';
import type { PayloadHandler, PayloadKind } from './event-receiver.js';
import type { Logger } from './logger.js';
import { verifySlackSignature } from './request-signature.js';

/** Request URLs the adapter serves in HTTP mode; each accepts events, commands and interactivity. */
export const HTTP_PATHS = ['/slack/events', '/slack/commands', '/slack/actions'] as const;

const BODY_LIMIT = 1024 * 1024;

type Parsed =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'ignore' }
  | { kind: 'payload'; payloadKind: PayloadKind; body: Record<string, unknown> }
  | { kind: 'bad' };

/**
 * Registers the Events API, slash command and interactivity endpoints on the robot's HTTP server.
 * Every request is verified against the signing secret over its raw body before anything is parsed.
 * A valid one is answered 200 once the robot has accepted it: at once (handlers run afterwards) unless
 * the robot's intake is durable, when an event is answered after it is in the shared stream, or after
 * the receiver's time bound at most.
 */
export function registerHttpRoutes(
  http: HttpRegistrar,
  options: {
    signingSecret: string;
    log: Logger;
    /** False until the bot knows who it is; Slack retries the 503. */
    isAccepting: () => boolean;
    onPayload: PayloadHandler;
  },
): void {
  http.register(async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );
    for (const path of HTTP_PATHS) {
      app.post(path, async (request, reply) => {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const header = (name: string) => {
          const value = request.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        const check = verifySlackSignature({
          signingSecret: options.signingSecret,
          timestamp: header('x-slack-request-timestamp'),
          signature: header('x-slack-signature'),
          rawBody,
        });
        if (!check.ok) {
          options.log.warn({ reason: check.reason, path }, 'refused a Slack request with a bad signature');
          return reply.code(401).type('text/plain').send('invalid request signature');
        }
        const parsed = parse(rawBody, header('content-type'));
        if (parsed.kind === 'bad')
          return reply.code(400).type('text/plain').send('unrecognised Slack request');
        if (parsed.kind === 'challenge') return reply.code(200).send({ challenge: parsed.challenge });
        if (parsed.kind === 'ignore') return reply.code(200).send();
        if (!options.isAccepting()) return reply.code(503).type('text/plain').send('starting');
        const retryNum = Number(header('x-slack-retry-num') ?? 0);
        const retryReason = header('x-slack-retry-reason');
        const accepted = options.onPayload(parsed.payloadKind, parsed.body, {
          ...(retryNum > 0 ? { retryNum } : {}),
          ...(retryReason ? { retryReason } : {}),
        });
        await accepted;
        return reply.code(200).send();
      });
    }
  });
}

function parse(rawBody: Buffer, contentType: string | undefined): Parsed {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  try {
    if (type === 'application/json') {
      const body = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
      if (body.type === 'url_verification' && typeof body.challenge === 'string') {
        return { kind: 'challenge', challenge: body.challenge };
      }
      if (body.type === 'event_callback') return { kind: 'payload', payloadKind: 'events_api', body };
      return { kind: 'ignore' };
    }
    if (type === 'application/x-www-form-urlencoded') {
      const form = new URLSearchParams(rawBody.toString('utf8'));
      if (form.has('ssl_check')) return { kind: 'ignore' };
      const payload = form.get('payload');
      if (payload) return { kind: 'payload', payloadKind: 'interactive', body: JSON.parse(payload) };
      if (form.has('command'))
        return { kind: 'payload', payloadKind: 'slash_commands', body: Object.fromEntries(form) };
    }
  } catch {
    return { kind: 'bad' };
  }
  return { kind: 'bad' };
}
