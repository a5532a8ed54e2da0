import { newId } from './ids.js';

/** The server's `AppError`: the JSON error body, with the status code inside it. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      message: this.message,
      detailed_error: '',
      request_id: newId(),
      status_code: this.statusCode,
    };
  }
}

export const sessionExpired = () =>
  new AppError(
    401,
    'api.context.session_expired.app_error',
    'Invalid or expired session, please login again.',
  );

export const noPermission = () =>
  new AppError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');

export const invalidParam = (name: string) =>
  new AppError(400, 'api.context.invalid_param.app_error', `Invalid ${name} parameter.`);

export const invalidBodyParam = (name: string) =>
  new AppError(
    400,
    'api.context.invalid_body_param.app_error',
    `Invalid or missing ${name} in request body.`,
  );

export const invalidUrlParam = (name: string) =>
  new AppError(
    400,
    'api.context.invalid_url_param.app_error',
    `Invalid or missing ${name} parameter in request URL.`,
  );

export const notFound = (id: string, what: string) => new AppError(404, id, `Unable to find the ${what}.`);

export const routeNotFound = () =>
  new AppError(404, 'api.context.404.app_error', 'Sorry, we could not find the page.');
