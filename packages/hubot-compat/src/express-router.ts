import type { Bot, HttpRegistrar } from '@chatops/core';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';

/**
 * `robot.router`: an Express application, as in Hubot (with its JSON and form body parsers), served by
 * the robot's HTTP server under `prefix`. Fastify hands every request under the prefix to Express
 * untouched (its body unread), so routes a script adds at any time work.
 */
export function mountExpressRouter(http: HttpRegistrar, prefix: string, log: Bot['log']): Express {
  const router = express();
  router.set('env', 'production');
  router.disable('x-powered-by');
  router.use(express.json({ limit: '100kb' }));
  router.use(express.urlencoded({ limit: '100kb', extended: true }));

  const outer = express();
  outer.set('env', 'production');
  outer.disable('x-powered-by');
  outer.use(prefix, router);
  // A route that throws answers 500 without its stack trace; the error goes to the robot's log.
  outer.use((error: Error, _request: Request, response: Response, next: NextFunction) => {
    log.error({ err: error }, 'a Hubot script route failed');
    if (response.headersSent) return next(error);
    response.status(500).type('text/plain').send('internal error');
  });

  http.register((app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const handle = (
      request: { raw: import('node:http').IncomingMessage },
      reply: { hijack(): void; raw: import('node:http').ServerResponse },
    ) => {
      reply.hijack();
      outer(request.raw as Request, reply.raw as Response);
    };
    app.all(prefix, handle);
    app.all(`${prefix}/*`, handle);
  });
  return router;
}

/** `robot.router` when the robot has no HTTP server: routes are accepted and a warning is logged. */
export function nullRouter(log: Bot['log']): Record<string, (...args: unknown[]) => void> {
  const warn = () =>
    log.warn(
      'a Hubot script registered an HTTP route, but the robot has no `http:` block; the route is ignored',
    );
  return { get: warn, post: warn, put: warn, patch: warn, delete: warn, all: warn, use: warn };
}
