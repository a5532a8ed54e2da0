import type { HttpRegistrar } from '@chatops/core';
import type { HttpAnswer } from './slash-command.js';

/** Paths of the bot's endpoints for Mattermost. */
export const commandPath = '/mattermost/command';
export const actionPath = '/mattermost/actions';

/** What the routes call. */
export interface RouteHandlers {
  command(form: Record<string, unknown>, authorization: string | undefined): Promise<HttpAnswer>;
  action(body: unknown): Promise<HttpAnswer>;
}

/** Adds `POST /mattermost/command` (form-encoded) and `POST /mattermost/actions` (JSON) to the bot's server. */
export function registerRoutes(http: HttpRegistrar, handlers: RouteHandlers): void {
  http.register(async (app) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    app.post(commandPath, async (request, reply) => {
      const form = typeof request.body === 'object' && request.body !== null ? request.body : {};
      const answer = await handlers.command(form as Record<string, unknown>, request.headers.authorization);
      return reply
        .code(answer.status)
        .header('content-type', 'application/json')
        .send(JSON.stringify(answer.body));
    });
    app.post(actionPath, { bodyLimit: 256 * 1024 }, async (request, reply) => {
      const answer = await handlers.action(request.body);
      return reply
        .code(answer.status)
        .header('content-type', 'application/json')
        .send(JSON.stringify(answer.body));
    });
  });
}
