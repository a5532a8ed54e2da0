import type { AuditTransport, ShippedLine } from '../audit-transport.js';
import type { AuditCheckpoint } from '../checkpoint.js';

/** Writes audit lines and checkpoints to standard output as JSON Lines, for container log collectors. */
export class StdoutTransport implements AuditTransport {
  readonly name = 'stdout';

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {}

  sendLines(_scope: unknown, lines: ShippedLine[]): Promise<void> {
    return this.write(`${lines.map((line) => line.line).join('\n')}\n`);
  }

  sendCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    return this.write(`${JSON.stringify(checkpoint)}\n`);
  }

  private write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }
}
