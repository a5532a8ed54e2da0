import { randomBytes, randomUUID } from 'node:crypto';

/** Mints Slack-shaped identifiers: `T…` teams, `U…` users, `C…` channels, `Ev…` events. */
export class IdFactory {
  private counter = 0;

  /** A new id with Slack's prefix, e.g. `next('U')` → `U0A1B2C3D4`. */
  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}0${this.counter.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  /** An envelope id (a UUID, as Slack sends). */
  envelopeId(): string {
    return randomUUID();
  }

  /** An unguessable secret for tickets and response URLs. */
  secret(): string {
    return randomBytes(12).toString('hex');
  }
}

/** Message timestamps (`"<seconds>.<6 digits>"`), strictly increasing per channel. */
export class TimestampClock {
  private readonly last = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The next `ts` for a message in `channel`. */
  next(channel: string): string {
    const micros = Math.max(this.now() * 1000, (this.last.get(channel) ?? 0) + 1);
    this.last.set(channel, micros);
    return formatTs(micros);
  }
}

function formatTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const rest = Math.floor(micros % 1_000_000);
  return `${seconds}.${rest.toString().padStart(6, '0')}`;
}
