import { Command } from 'commander';
import { formatAuditRecord, readAuditTail } from '../audit/tail.js';
import { verifyAuditLog } from '../audit/verify.js';
import { loadCliConfig } from './boot.js';
import { runCli } from './run-cli.js';

async function auditPath(file: string | undefined, options: { config?: string }): Promise<string> {
  if (file) return file;
  return (await loadCliConfig(options)).config.audit.path;
}

/** `chatops audit verify|tail`. */
export function auditCommand(): Command {
  const audit = new Command('audit').description('Check or read the audit log');
  audit
    .command('verify')
    .description(
      'Check the hash chain of the audit log (and its rotated files); exit 1 at the first broken line',
    )
    .argument('[file]', 'audit log (default: audit.path from the config)')
    .option('-c, --config <file>', 'config file')
    .action((file: string | undefined, options: { config?: string }) =>
      runCli(async () => {
        const result = await verifyAuditLog(await auditPath(file, options));
        if (result.ok) {
          process.stdout.write(`audit log OK: ${result.lines} line(s) in ${result.files.length} file(s)\n`);
          return 0;
        }
        const error = result.error!;
        process.stdout.write(`audit log BROKEN: ${error.file}: line ${error.line}: ${error.reason}\n`);
        return 1;
      }),
    );
  audit
    .command('tail')
    .description('Show the last entries of the audit log')
    .argument('[file]', 'audit log (default: audit.path from the config)')
    .option('-c, --config <file>', 'config file')
    .option('-n, --lines <n>', 'how many entries', '20')
    .option('-u, --user <user>', 'only entries of this principal (key or name)')
    .option('--json', 'print the JSON lines')
    .action(
      (
        file: string | undefined,
        options: { config?: string; lines: string; user?: string; json?: boolean },
      ) =>
        runCli(async () => {
          const n = Number(options.lines);
          if (!Number.isInteger(n) || n < 1)
            throw new Error(`--lines must be a positive whole number, got "${options.lines}"`);
          const records = await readAuditTail(await auditPath(file, options), {
            n,
            ...(options.user ? { user: options.user } : {}),
          });
          for (const record of records)
            process.stdout.write(`${options.json ? JSON.stringify(record) : formatAuditRecord(record)}\n`);
          return 0;
        }),
    );
  return audit;
}
