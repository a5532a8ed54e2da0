import { AuditLogLockedError } from '../audit/audit-lock.js';
import { ConfigError } from '../config/config-error.js';
import { UsageError } from '../plugins/plugin.js';
import { EXIT } from './exit-codes.js';

/** Runs a CLI action: prints errors in one line (no stack traces) and sets the exit code. */
export async function runCli(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`chatops: ${message}\n`);
    process.exitCode =
      error instanceof ConfigError ||
      error instanceof UsageError ||
      error instanceof AuditLogLockedError ||
      /^config error/.test(message)
        ? EXIT.usage
        : EXIT.failed;
  }
}
