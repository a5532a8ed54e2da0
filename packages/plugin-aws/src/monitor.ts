import type { Bot, Card } from '@chatops/core';
import type { Accounts } from './accounts.js';
import { AwsCallError, describeAwsError } from './aws-errors.js';
import type { AwsSession } from './aws-session.js';
import type { AwsConfig } from './config.js';
import { minute } from './format.js';
import { type IamDeps, listAndStore } from './iam/commands.js';
import { type NoMfaRecord, noMfaCard } from './iam/no-mfa-card.js';
import { type S3Deps, scanAndStore } from './s3/commands.js';
import { type S3ScanRecord, s3ResultCard } from './s3/public-card.js';

export interface MonitorDeps extends S3Deps, IamDeps {
  bot: Bot;
  accounts: Accounts;
  config: AwsConfig;
}

interface Baseline {
  items: string[];
  at: number;
}

/** Keeps the last list in the store; returns what is new since then (everything on the first run). */
async function newSince(
  bot: Bot,
  key: string,
  current: string[],
): Promise<{ fresh: string[]; previous?: Baseline }> {
  const previous = await bot.store.get<Baseline>(key);
  await bot.store.set(key, { items: current, at: bot.now() } satisfies Baseline);
  const seen = new Set(previous?.items ?? []);
  return { fresh: current.filter((item) => !seen.has(item)), ...(previous ? { previous } : {}) };
}

function sinceLine(previous: Baseline | undefined): string {
  return previous
    ? `New since the scan of ${minute(previous.at)}.`
    : 'First scan: everything found is listed.';
}

/** Posts a failure once per distinct message, so a broken account does not flood the route. */
async function reportFailure(
  deps: MonitorDeps,
  session: AwsSession,
  check: string,
  error: unknown,
): Promise<void> {
  const key = `monitor:error:${session.name}:${check}`;
  const sentence =
    error instanceof AwsCallError
      ? describeAwsError(error, session.name)
      : error instanceof Error
        ? error.message
        : String(error);
  deps.bot.log.warn({ account: session.name, check, error: sentence }, 'aws monitor check failed');
  if ((await deps.bot.store.get<string>(key)) === sentence) return;
  await deps.bot.store.set(key, sentence);
  const card: Card = { title: `AWS ${check} monitor · ${session.name}`, status: 'warn', text: sentence };
  await deps.bot.notify(deps.config.monitor!.notify, card);
}

async function monitorS3(deps: MonitorDeps, session: AwsSession): Promise<void> {
  const { record } = await scanAndStore(deps, session);
  const publicNames = record.result.findings
    .filter((finding) => finding.status === 'public')
    .map((finding) => finding.name);
  const { fresh, previous } = await newSince(deps.bot, `monitor:s3:${session.name}`, publicNames);
  if (fresh.length === 0) return;
  const only: S3ScanRecord = {
    result: {
      ...record.result,
      findings: record.result.findings.filter((finding) => fresh.includes(finding.name)),
    },
    blockedBy: {},
    log: [sinceLine(previous)],
  };
  const id = await deps.scans.save(only);
  const card = s3ResultCard(id, only, deps.config.s3);
  card.title = `Newly public S3 buckets · ${record.result.accountName} (${record.result.accountId})`;
  await deps.bot.notify(deps.config.monitor!.notify, card);
}

async function monitorIam(deps: MonitorDeps, session: AwsSession): Promise<void> {
  const { record } = await listAndStore(deps, session, false);
  const names = record.result.findings.map((finding) => finding.user);
  const { fresh, previous } = await newSince(deps.bot, `monitor:iam:${session.name}`, names);
  if (fresh.length === 0) return;
  const only: NoMfaRecord = {
    result: {
      ...record.result,
      findings: record.result.findings.filter((finding) => fresh.includes(finding.user)),
    },
    notes: {},
    log: [sinceLine(previous)],
  };
  const id = await deps.lists.save(only);
  const card = noMfaCard(id, only, { ...deps.config.iam, now: deps.bot.now() });
  card.title = `New IAM users without MFA · ${record.result.accountName} (${record.result.accountId})`;
  await deps.bot.notify(deps.config.monitor!.notify, card);
}

/** The scheduled job `aws.monitor`: scans each account and posts only what is new since the last scan. */
export function registerMonitor(deps: MonitorDeps): void {
  const monitor = deps.config.monitor;
  if (!monitor) return;
  deps.bot.every(monitor.every, 'aws.monitor', async (signal) => {
    for (const name of monitor.accounts ?? deps.accounts.names) {
      const session = await deps.accounts.session(name);
      for (const check of monitor.checks) {
        signal.throwIfAborted();
        try {
          await (check === 's3' ? monitorS3(deps, session) : monitorIam(deps, session));
          await deps.bot.store.delete(`monitor:error:${session.name}:${check}`);
        } catch (error) {
          await reportFailure(deps, session, check, error);
        }
      }
    }
  });
}
