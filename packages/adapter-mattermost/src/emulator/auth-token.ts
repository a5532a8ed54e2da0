import type { IncomingMessage } from 'node:http';

/**
 * `ParseAuthTokenFromRequest`: the `MMAUTHTOKEN` cookie, then `Authorization: Bearer` (any case, Client4
 * sends `BEARER`), then `Authorization: Token`. The query-string form is accepted too.
 */
export function tokenFromRequest(req: IncomingMessage, url: URL): string | undefined {
  const cookie = req.headers.cookie
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('MMAUTHTOKEN='));
  if (cookie) return cookie.slice('MMAUTHTOKEN='.length);
  const header = req.headers.authorization;
  if (header && header.length > 7 && header.slice(0, 6).toUpperCase() === 'BEARER') return header.slice(7);
  if (header && header.length > 6 && header.slice(0, 5).toLowerCase() === 'token') return header.slice(6);
  return url.searchParams.get('access_token') ?? undefined;
}
