/** The Slack error code of a Web API failure (never the request, which holds the token). */
export function slackError(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  if (typeof data?.error === 'string') return data.error;
  return error instanceof Error ? error.message : String(error);
}
