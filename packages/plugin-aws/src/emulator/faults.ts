/** Where a fault applies: the operation (`s3:GetBucketAcl`), optionally one bucket, account or user. */
export interface FaultScope {
  bucket?: string;
  account?: string;
  /** IAM user name the call is about (`UserName=`). */
  user?: string;
  /** Apply this many times, then stop (default: until cleared). */
  times?: number;
}

/** The facts of one call that faults are matched against. */
export interface CallFacts {
  operation: string;
  account: string;
  bucket?: string;
  user?: string;
}

export type FaultKind = 'deny' | 'throttle' | 'internal';

interface FaultRule extends FaultScope {
  kind: FaultKind;
  operation: string;
}

/** Injected AccessDenied, throttling and 500 InternalError answers. */
export class Faults {
  private rules: FaultRule[] = [];

  add(kind: FaultKind, operation: string, scope: FaultScope = {}): void {
    this.rules.push({ kind, operation, ...scope });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault to answer this call with, if any (consumes one use of a counted rule). */
  match(call: CallFacts): FaultKind | undefined {
    const rule = this.rules.find(
      (candidate) =>
        (candidate.operation === call.operation || candidate.operation === '*') &&
        (candidate.bucket === undefined || candidate.bucket === call.bucket) &&
        (candidate.account === undefined || candidate.account === call.account) &&
        (candidate.user === undefined || candidate.user === call.user),
    );
    if (!rule) return undefined;
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    }
    return rule.kind;
  }
}
