import { startHttpServer, type TestHttpServer } from './servers.js';

/** A local health endpoint whose answer a test can switch between up and down. */
export interface SwitchableService extends TestHttpServer {
  /** Status code of the answers (200 = up). */
  status: number;
  /** Status codes of the next answers, used up before `status` applies again. */
  upcoming: number[];
}

/** Starts a health endpoint answering `status` (200 at first) with `ok` or `down`. */
export async function startSwitchableService(status = 200): Promise<SwitchableService> {
  const server = await startHttpServer((_request, response) => {
    const code = service.upcoming.shift() ?? service.status;
    response.statusCode = code;
    response.end(code < 400 ? 'ok' : 'down');
  });
  const service: SwitchableService = { ...server, status, upcoming: [] };
  return service;
}
