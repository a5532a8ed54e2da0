import { UsageError } from '@chatops/core';
import { AwsSession, type AwsSession as Session } from './aws-session.js';
import { type AwsConfig, resolveAccounts } from './config.js';

/** The configured accounts and their sessions, created on first use. */
export class Accounts {
  private readonly sessions = new Map<string, Session>();
  readonly names: string[];
  readonly defaultName: string;

  constructor(config: AwsConfig) {
    const accounts = resolveAccounts(config);
    this.names = accounts.map((account) => account.name);
    this.defaultName = config.defaultAccount ?? this.names[0]!;
    for (const account of accounts) this.sessions.set(account.name, new AwsSession(account, config.retry));
  }

  /** The session of `name` (default account when absent or empty); a clear usage error for unknown names. */
  session(name?: string): Session {
    const wanted = name || this.defaultName;
    const session = this.sessions.get(wanted);
    if (!session) throw new UsageError(`No AWS account "${wanted}"; configured: ${this.names.join(', ')}.`);
    return session;
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  destroy(): void {
    for (const session of this.sessions.values()) session.destroy();
  }
}
