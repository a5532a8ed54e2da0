import { type AuditTransport, batchKey, type ShipmentScope, type ShippedLine } from '../audit-transport.js';
import type { AuditCheckpoint } from '../checkpoint.js';

/** Options of {@link HttpTransport}. */
export interface HttpTransportOptions {
  url: string;
  /** Extra request headers (e.g. `Authorization: Splunk …`), values from `${ENV}`. */
  headers?: Record<string, string>;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
}

/**
 * POSTs audit lines as JSON Lines (`application/x-ndjson`, one record per line, each with its `seq`
 * and `instance`) and checkpoints as one JSON object each. Any answer but 2xx is a failure to retry.
 * Each POST carries an `Idempotency-Key` naming the batch (`instance/chain/first-last`): a batch sent
 * again after a crash has the same key and bytes, so a receiver that honours the key keeps it once.
 */
export class HttpTransport implements AuditTransport {
  readonly name: string;

  constructor(private readonly options: HttpTransportOptions) {
    const url = new URL(options.url);
    this.name = `http:${url.host}${url.pathname}`;
  }

  sendLines(scope: ShipmentScope, lines: ShippedLine[]): Promise<void> {
    const body = `${lines.map((line) => line.line).join('\n')}\n`;
    return this.post(body, scope.chain, batchKey(scope, lines));
  }

  sendCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    const key = `${checkpoint.instance}/${checkpoint.chain}/checkpoint-${checkpoint.time}-${checkpoint.lastSeq}`;
    return this.post(`${JSON.stringify(checkpoint)}\n`, checkpoint.chain, key);
  }

  private async post(body: string, chain: string, key: string): Promise<void> {
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-ndjson',
        'x-chatops-audit-chain': chain,
        'idempotency-key': key,
        ...this.options.headers,
      },
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`${this.name} answered ${response.status}`);
  }
}
