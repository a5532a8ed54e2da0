import type { HttpRegistrar } from '@chatops/core';
import { DIALOG_PATH } from './confirm-dialog.js';
import type { HttpAnswer } from './slash-command.js';

/** Paths of the bot's endpoints for Mattermost. */
export const COMMAND_PATH = '/mattermost/command';
export const ACTION_PATH = '/mattermost/actions';

/** What the routes call. */
export interface HttpRouteHandlers {
  command(form: Record<string, unknown>, authorization: string | undefined): Promise<HttpAnswer>;
  action(body: unknown): Promise<HttpAnswer>;
  dialog(body: unknown): Promise<HttpAnswer>;
}

/**
 * Adds `POST /mattermost/command` (form-encoded), `POST /mattermost/actions` and
 * `POST /mattermost/dialogs` (JSON) to the bot's server.
 */
export function registerHttpRoutes(http: HttpRegistrar, handlers: HttpRouteHandlers): void {
  http.register(async (app) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    app.post(COMMAND_PATH, async (request, reply) => {
      const form = typeof request.body === 'object' && request.body !== null ? request.body : {};
      const answer = await handlers.command(form as Record<string, unknown>, request.headers.authorization);
      return reply
        .code(answer.status)
        .header('content-type', 'application/json')
        .send(JSON.stringify(answer.body));
    });
    for (const [path, handle] of [
      [ACTION_PATH, handlers.action],
      [DIALOG_PATH, handlers.dialog],
    ] as const) {
      app.post(path, { bodyLimit: 256 * 1024 }, async (request, reply) => {
        const answer = await handle(request.body);
        return reply
          .code(answer.status)
          .header('content-type', 'application/json')
          .send(JSON.stringify(answer.body));
      });
    }
  });
}
