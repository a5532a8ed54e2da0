/** A body for a slash command's or a click's `response_url`. */
export interface ResponseUrlBody {
  text: string;
  blocks?: unknown[];
  response_type?: 'in_channel' | 'ephemeral';
  replace_original?: boolean;
  thread_ts?: string;
}

/** Thrown when Slack refuses a response_url post (used up, expired, invalid blocks). */
export class ResponseUrlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`response_url refused the message (HTTP ${status}${code ? `, ${code}` : ''})`);
  }
}

const ATTEMPTS = 3;

/**
 * POSTs JSON to a response_url (valid 5 times within 30 minutes). Rate limits, 5xx and network errors
 * are retried a few times; other refusals throw {@link ResponseUrlError}.
 */
export async function postToResponseUrl(url: string, body: ResponseUrlBody): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    let status = 0;
    let code = '';
    let retryAfterMs = 1000 * attempt;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      status = response.status;
      const text = await response.text();
      if (status >= 200 && status < 300) return;
      code = errorCode(text);
      const retryAfter = Number(response.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter >= 0) retryAfterMs = retryAfter * 1000;
      if (status !== 429 && status < 500) throw new ResponseUrlError(status, code);
    } catch (error) {
      if (error instanceof ResponseUrlError || attempt >= ATTEMPTS) throw error;
    }
    if (attempt >= ATTEMPTS) throw new ResponseUrlError(status, code);
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
  }
}

function errorCode(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : '';
  } catch {
    return text.slice(0, 60);
  }
}
