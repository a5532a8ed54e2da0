import { UserFacingError } from '@chatops/core';
import { AwsCallError, describeAwsError } from '../aws-errors.js';
import type { AwsSession } from '../aws-session.js';
import { fetchCredentialReport, ReportTimeout } from './credential-report.js';
import { checkUsersLive } from './live-check.js';

/** A user (or the root account) without MFA. */
export interface MfaFinding {
  user: string;
  arn: string;
  root: boolean;
  /** Has a console password; undefined when it could not be read. */
  console?: boolean;
  /** ISO time, or `never`. */
  passwordLastUsed?: string;
  /** ISO time the user was created. */
  createdAt?: string;
  /** Set when MFA could not be read (the user is listed so nobody is missed). */
  unknown?: string;
}

/** Users without MFA in one account. */
export interface NoMfaResult {
  accountName: string;
  accountId: string;
  /** `report`: the credential report; `live`: ListUsers + per-user calls. */
  source: 'report' | 'live';
  /** When the report was generated (it can be up to four hours old). */
  reportGeneratedAt?: string;
  /** Why the report was not used. */
  fallbackReason?: string;
  totalUsers: number;
  findings: MfaFinding[];
  consoleOnly: boolean;
  checkedAt: number;
}

export interface NoMfaOptions {
  consoleOnly: boolean;
  pollInterval: number;
  timeout: number;
  fallback: boolean;
  concurrency: number;
  signal?: AbortSignal;
  now?: () => number;
}

function rank(finding: MfaFinding): number {
  if (finding.root) return 0;
  return finding.console === true ? 1 : finding.console === undefined ? 2 : 3;
}

function sortFindings(findings: MfaFinding[]): MfaFinding[] {
  return findings.sort((a, b) => rank(a) - rank(b) || a.user.localeCompare(b.user));
}

/** Finds users without MFA: credential report first, per-user calls when the report is not permitted. */
export async function findUsersWithoutMfa(session: AwsSession, options: NoMfaOptions): Promise<NoMfaResult> {
  const now = options.now ?? Date.now;
  const { accountId } = await session.identity();
  const base = { accountName: session.name, accountId, consoleOnly: options.consoleOnly };
  const keep = (finding: MfaFinding) => !options.consoleOnly || finding.console !== false;
  let reportError: AwsCallError;
  try {
    const report = await fetchCredentialReport(session.iam(), options);
    const findings = report.users
      .filter((user) => !user.mfa)
      .map((user): MfaFinding => {
        const finding: MfaFinding = {
          user: user.user,
          arn: user.arn,
          root: user.root,
          console: user.console,
        };
        if (user.passwordLastUsed) {
          finding.passwordLastUsed =
            user.passwordLastUsed === 'never' ? 'never' : user.passwordLastUsed.toISOString();
        }
        if (user.createdAt && !user.root) finding.createdAt = user.createdAt.toISOString();
        return finding;
      })
      .filter(keep);
    return {
      ...base,
      source: 'report',
      reportGeneratedAt: report.generatedAt.toISOString(),
      totalUsers: report.users.filter((user) => !user.root).length,
      findings: sortFindings(findings),
      checkedAt: now(),
    };
  } catch (error) {
    if (error instanceof ReportTimeout) {
      throw new UserFacingError(
        `The IAM credential report for account ${session.name} is still being generated; try again in a minute.`,
      );
    }
    if (!(error instanceof AwsCallError && error.denied && options.fallback)) throw error;
    reportError = error;
  }
  try {
    const live = await checkUsersLive(session.iam(), options.concurrency, options.signal);
    const findings = live.withoutMfa
      .map((user): MfaFinding => {
        const finding: MfaFinding = { user: user.user, arn: user.arn, root: false };
        if (user.console !== undefined) finding.console = user.console;
        if (user.passwordLastUsed) finding.passwordLastUsed = user.passwordLastUsed.toISOString();
        if (user.createdAt) finding.createdAt = user.createdAt.toISOString();
        if (user.mfa !== false) finding.unknown = user.mfa.unknown;
        return finding;
      })
      .filter(keep);
    return {
      ...base,
      source: 'live',
      fallbackReason: describeAwsError(reportError, session.name),
      totalUsers: live.total,
      findings: sortFindings(findings),
      checkedAt: now(),
    };
  } catch (error) {
    if (error instanceof AwsCallError && error.denied) {
      throw new UserFacingError(
        `Account ${session.name} needs iam:GenerateCredentialReport and iam:GetCredentialReport ` +
          `(or, slower, iam:ListUsers, iam:ListMFADevices and iam:GetLoginProfile; ${error.code} on ${error.operation}).`,
      );
    }
    throw error;
  }
}
