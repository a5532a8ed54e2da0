import { WebApiError } from './web-api-error.js';

/** The tokens the emulated workspace accepts. */
export interface EmulatorTokens {
  /** Bot token (`xoxb-…`) for Web API methods. */
  bot: string;
  /** App-level token (`xapp-…`) for `apps.connections.open`. */
  app: string;
}

/** Reads the bearer token from the `Authorization` header or a `token` argument. */
export function bearerToken(
  authorization: string | undefined,
  args: Record<string, unknown>,
): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (match) return match[1]!.trim();
  return typeof args.token === 'string' && args.token ? args.token : undefined;
}

/** Throws Slack's error for a missing, wrong or wrong-kind token. */
export function checkToken(method: string, token: string | undefined, tokens: EmulatorTokens): void {
  if (!token) throw new WebApiError('not_authed');
  const wanted = method === 'apps.connections.open' ? tokens.app : tokens.bot;
  if (token === wanted) return;
  const other = method === 'apps.connections.open' ? tokens.bot : tokens.app;
  if (token === other) throw new WebApiError('not_allowed_token_type');
  throw new WebApiError('invalid_auth');
}
