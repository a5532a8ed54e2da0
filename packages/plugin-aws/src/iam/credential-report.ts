import { setTimeout as sleep } from 'node:timers/promises';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AwsCallError, awsCall } from '../aws-errors.js';
import { parseCsv } from './csv.js';

/** One user (or the root account) from the credential report. */
export interface ReportUser {
  user: string;
  arn: string;
  root: boolean;
  createdAt?: Date;
  /** Has a console password; the root row says `not_supported` (root always can sign in). */
  console: boolean;
  /** When the password was last used; `never` for no sign-in on record. */
  passwordLastUsed?: Date | 'never';
  mfa: boolean;
  activeAccessKeys: number;
}

/** A parsed credential report. */
export interface CredentialReport {
  generatedAt: Date;
  users: ReportUser[];
}

/** Raised when the report is still not ready after the configured timeout. */
export class ReportTimeout extends Error {
  override name = 'ReportTimeout';
}

export interface ReportOptions {
  /** First wait between polls (ms); doubles up to 8×. */
  pollInterval: number;
  /** Give up after this long (ms). */
  timeout: number;
  signal?: AbortSignal;
  now?: () => number;
}

function date(value: string | undefined): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

const yes = (value: string | undefined) => value?.toLowerCase() === 'true';

/** Turns the report's CSV (keyed on header names, booleans case-insensitive) into users. */
export function parseCredentialReport(csv: string): ReportUser[] {
  return parseCsv(csv).map((row) => {
    const root = row.user === '<root_account>';
    const lastUsed = row.password_last_used;
    const passwordLastUsed = lastUsed === 'no_information' ? 'never' : date(lastUsed);
    const user: ReportUser = {
      user: row.user ?? '',
      arn: row.arn ?? '',
      root,
      console: root || yes(row.password_enabled),
      mfa: yes(row.mfa_active),
      activeAccessKeys: Number(yes(row.access_key_1_active)) + Number(yes(row.access_key_2_active)),
    };
    const createdAt = date(row.user_creation_time);
    if (createdAt) user.createdAt = createdAt;
    if (passwordLastUsed) user.passwordLastUsed = passwordLastUsed;
    return user;
  });
}

/**
 * Generate → poll (bounded exponential back-off) until COMPLETE → fetch and parse. IAM reuses a report younger
 * than four hours, so this is usually two or three calls.
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  options: ReportOptions,
): Promise<CredentialReport> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeout;
  let wait = Math.max(1, options.pollInterval);
  for (;;) {
    const generated = await awsCall('GenerateCredentialReport', () =>
      iam.send(new GenerateCredentialReportCommand({})),
    );
    if (generated.State === 'COMPLETE') {
      try {
        const report = await awsCall('GetCredentialReport', () =>
          iam.send(new GetCredentialReportCommand({})),
        );
        const csv = new TextDecoder().decode(report.Content ?? new Uint8Array());
        return { generatedAt: report.GeneratedTime ?? new Date(now()), users: parseCredentialReport(csv) };
      } catch (error) {
        if (!(error instanceof AwsCallError && error.code === 'CredentialReportNotReadyException'))
          throw error;
      }
    }
    if (now() + wait > deadline) throw new ReportTimeout('the credential report is still being generated');
    await sleep(wait, undefined, options.signal ? { signal: options.signal } : {});
    wait = Math.min(wait * 2, options.pollInterval * 8);
  }
}
