/** A Web API error: answered as HTTP 200 `{"ok":false,"error":code,…extra}`. */
export class WebApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}
