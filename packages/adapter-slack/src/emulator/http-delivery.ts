import type { CallLog } from './call-log.js';
import type { SlackHttpModeClient } from './http-mode-client.js';
import type { Delivery, DeliveryOutcome, EnvelopeType } from './socket-mode-server.js';

/**
 * Delivers payloads over HTTP as Slack does for apps with Request URLs: a non-2xx answer or a
 * transport failure makes Slack retry events up to 3 times with `X-Slack-Retry-Num`.
 */
export class HttpDeliverer {
  /** Requests sent so far, retries included. */
  sent = 0;
  outstanding = 0;

  constructor(
    readonly client: SlackHttpModeClient,
    private readonly log: CallLog,
    private readonly retryDelaysMs: number[],
  ) {}

  deliver(type: EnvelopeType, payload: Record<string, unknown>): Delivery {
    const delivery: Delivery = {
      type,
      payload,
      envelopeIds: [],
      attempts: 0,
      outcome: Promise.resolve({ acked: false, attempts: 0, reason: 'timeout' }),
      ...(typeof payload.event_id === 'string' ? { eventId: payload.event_id } : {}),
    };
    this.outstanding += 1;
    delivery.outcome = this.run(delivery).finally(() => {
      this.outstanding -= 1;
      this.log.notify();
    });
    return delivery;
  }

  private async run(delivery: Delivery): Promise<DeliveryOutcome> {
    for (;;) {
      const attempt = delivery.attempts;
      delivery.attempts += 1;
      delivery.envelopeIds.push(`http-${attempt}`);
      this.sent += 1;
      const ok = await this.attempt(delivery, attempt);
      if (ok) return ok;
      const canRetry = delivery.type === 'events_api' && attempt < this.retryDelaysMs.length;
      if (!canRetry) return { acked: false, attempts: delivery.attempts, reason: 'timeout' };
      await new Promise((resolve) => setTimeout(resolve, this.retryDelaysMs[attempt]));
    }
  }

  private async attempt(delivery: Delivery, attempt: number): Promise<DeliveryOutcome | undefined> {
    const options = attempt > 0 ? { retryNum: attempt, retryReason: 'http_error' } : {};
    try {
      const result =
        delivery.type === 'events_api'
          ? await this.client.sendEvent(delivery.payload, options)
          : delivery.type === 'slash_commands'
            ? await this.client.sendCommand(delivery.payload as Record<string, string>, options)
            : await this.client.sendAction(delivery.payload, options);
      if (result.status < 200 || result.status >= 300) return undefined;
      return { acked: true, attempt, envelopeId: `http-${attempt}`, payload: parseAnswer(result.body) };
    } catch {
      return undefined;
    }
  }
}

function parseAnswer(body: string): Record<string, unknown> | undefined {
  if (!body) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : { text: body };
  } catch {
    return { text: body };
  }
}
