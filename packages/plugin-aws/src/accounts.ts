import { UsageError } from '@chatops/core';
import type { AwsSession } from './aws-session.js';
import { type AwsConfig, type ResolvedAccount, resolveAccounts } from './config.js';

/**
 * The configured accounts and their sessions, created on first use. The session module (and with it
 * the AWS SDK clients) is imported then too, so loading the plugin stays cheap.
 */
export class Accounts {
  private readonly accounts = new Map<string, ResolvedAccount>();
  private readonly sessions = new Map<string, AwsSession>();
  readonly names: string[];
  readonly defaultName: string;

  constructor(private readonly config: AwsConfig) {
    for (const account of resolveAccounts(config)) this.accounts.set(account.name, account);
    this.names = [...this.accounts.keys()];
    this.defaultName = config.defaultAccount ?? this.names[0]!;
  }

  /** The session of `name` (default account when absent or empty); a clear usage error for unknown names. */
  async session(name?: string): Promise<AwsSession> {
    const wanted = name || this.defaultName;
    const account = this.accounts.get(wanted);
    if (!account) throw new UsageError(`No AWS account "${wanted}"; configured: ${this.names.join(', ')}.`);
    const existing = this.sessions.get(wanted);
    if (existing) return existing;
    const { AwsSession } = await import('./aws-session.js');
    const session = this.sessions.get(wanted) ?? new AwsSession(account, this.config.retry);
    this.sessions.set(wanted, session);
    return session;
  }

  all(): Promise<AwsSession[]> {
    return Promise.all(this.names.map((name) => this.session(name)));
  }

  destroy(): void {
    for (const session of this.sessions.values()) session.destroy();
  }
}
