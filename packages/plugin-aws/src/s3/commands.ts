import { type Bot, type Card, type Context, UserFacingError } from '@chatops/core';
import type { Accounts } from '../accounts.js';
import { AwsCallError, describeAwsError, isFatal } from '../aws-errors.js';
import { withAwsErrors } from '../aws-handler.js';
import type { AwsSession } from '../aws-session.js';
import { mapLimit } from '../concurrency.js';
import type { AwsConfig } from '../config.js';
import { plural } from '../format.js';
import { checkedText, ProgressMessage } from '../progress.js';
import type { ScanStore } from '../scan-store.js';
import {
  BLOCK_ACTION,
  BLOCK_ALL_ACTION,
  type BlockAllArgs,
  type BlockArgs,
  type S3ScanRecord,
  s3ResultCard,
} from './public-card.js';
import type { BucketFinding, BucketRef } from './scan.js';

/** Loads the SDK-backed S3 code on the first command that needs it. */
const operations = () => import('./operations.js');

const ACCOUNT_OPTION = { account: { type: 'string' as const, description: 'configured account name' } };

/** Everything the S3 commands and buttons share. */
export interface S3Deps {
  bot: Bot;
  accounts: Accounts;
  config: AwsConfig;
  scans: ScanStore<S3ScanRecord>;
}

/** Scans one account and stores the record behind the buttons. */
export async function scanAndStore(
  deps: S3Deps,
  session: AwsSession,
  ctx?: Context,
): Promise<{ id: string; record: S3ScanRecord; card: Card; progress?: ProgressMessage }> {
  const s3 = deps.config.s3;
  const progress = ctx
    ? new ProgressMessage(ctx, {
        after: s3.progressAfter,
        intervalMs: s3.progressInterval,
        now: () => deps.bot.now(),
        started: (total) => `Checking ${plural(total, 'bucket')} in ${session.name}…`,
        update: checkedText('buckets'),
      })
    : undefined;
  const { scanS3 } = await operations();
  const result = await scanS3(session, {
    concurrency: session.account.concurrency,
    ...(ctx ? { signal: ctx.signal } : {}),
    onListed: (total) => progress?.start(total),
    onProgress: (done, total) => progress?.tick(done, total),
    now: () => deps.bot.now(),
  });
  const record: S3ScanRecord = { result, blockedBy: {}, log: [] };
  const id = await deps.scans.save(record);
  return { id, record, card: s3ResultCard(id, record, s3), ...(progress ? { progress } : {}) };
}

/** Records a re-checked bucket in the stored scan. */
function applyRecheck(
  record: S3ScanRecord,
  bucket: string,
  after: BucketFinding | 'gone',
  who: string,
): void {
  const findings = record.result.findings;
  const index = findings.findIndex((finding) => finding.name === bucket);
  const before = findings[index];
  record.blockedBy[bucket] = who;
  if (after === 'gone') return;
  if (before?.couldBecomePublic && !after.couldBecomePublic) record.result.couldBecomePublic -= 1;
  if (index >= 0) findings[index] = after;
  else findings.push(after);
}

function outcomeLine(bucket: string, after: BucketFinding | 'gone', who: string): string {
  if (after === 'gone') return `${bucket}: the bucket no longer exists`;
  if (after.status === 'not-public') return `${bucket}: public access blocked by ${who}`;
  return `${bucket}: public access blocked by ${who}, but it still reads as ${after.status} (${after.reasons.join('; ')})`;
}

async function blockOne(deps: S3Deps, ctx: Context<BlockArgs>): Promise<Card> {
  const session = await deps.accounts.session(ctx.args.account);
  const bucket: BucketRef = { name: ctx.args.bucket, region: ctx.args.region };
  const scanId = ctx.args.scan;
  const { blockPublicAccess, recheckBuckets } = await operations();
  return withAwsErrors(session.name, async () => {
    await blockPublicAccess(session, bucket);
    const after = (await recheckBuckets(session, [bucket])).get(bucket.name)!;
    const who = `@${ctx.user.name}`;
    const line = outcomeLine(bucket.name, after, who);
    const record = scanId
      ? await deps.scans.update(scanId, (stored) => {
          applyRecheck(stored, bucket.name, after, who);
          stored.log.push(line);
        })
      : undefined;
    if (record && scanId) return s3ResultCard(scanId, record, deps.config.s3);
    return {
      title: 'Block public access',
      status: after !== 'gone' && after.status === 'not-public' ? 'ok' : 'warn',
      text: line,
    };
  });
}

async function blockAll(deps: S3Deps, ctx: Context<BlockAllArgs>): Promise<Card> {
  const scanId = ctx.args.scan;
  const stored = await deps.scans.load(scanId);
  if (!stored) throw new UserFacingError('This list has expired; run `aws s3 public` again for a fresh one.');
  const session = await deps.accounts.session(stored.result.accountName);
  const { blockPublicAccess, recheckBuckets } = await operations();
  const targets = stored.result.findings.filter(
    (finding) => finding.status === 'public' && !stored.blockedBy[finding.name],
  );
  return withAwsErrors(session.name, async () => {
    const attempts = await mapLimit(targets, session.account.concurrency, async (finding) => {
      try {
        await blockPublicAccess(session, finding);
        return { finding };
      } catch (error) {
        if (!(error instanceof AwsCallError) || isFatal(error)) throw error;
        return { finding, failure: describeAwsError(error, session.name) };
      }
    });
    const blocked = attempts.filter((attempt) => !attempt.failure).map((attempt) => attempt.finding);
    const rechecked = await recheckBuckets(session, blocked);
    const who = `@${ctx.user.name}`;
    const record = await deps.scans.update(scanId, (current) => {
      for (const [bucket, after] of rechecked) applyRecheck(current, bucket, after, who);
      const stillOpen = [...rechecked].filter(
        ([, after]) => after !== 'gone' && after.status !== 'not-public',
      );
      current.log.push(`${plural(blocked.length, 'bucket')}: public access blocked by ${who}`);
      for (const [bucket, after] of stillOpen) current.log.push(outcomeLine(bucket, after, who));
      for (const attempt of attempts) {
        if (attempt.failure) current.log.push(`${attempt.finding.name}: not blocked: ${attempt.failure}`);
      }
    });
    if (!record)
      throw new UserFacingError('This list has expired; run `aws s3 public` again for a fresh one.');
    return s3ResultCard(scanId, record, deps.config.s3);
  });
}

/** `aws s3 public`, `aws s3 block` and the Block buttons. */
export function registerS3(deps: S3Deps): void {
  const { bot, accounts } = deps;
  bot.command({
    name: 'aws s3 public',
    options: ACCOUNT_OPTION,
    effect: 'read',
    permission: 'aws.s3.public',
    summary: 'List public S3 buckets and why, with buttons to block public access',
    examples: ['aws s3 public', 'aws s3 public --account prod'],
    run: async (ctx) => {
      const session = await accounts.session(ctx.args.account);
      return withAwsErrors(session.name, async () => {
        const { card, progress } = await scanAndStore(deps, session, ctx);
        return progress ? progress.finish(card) : card;
      });
    },
  });
  bot.command({
    name: 'aws s3 block',
    args: '<bucket>',
    options: ACCOUNT_OPTION,
    effect: 'write',
    permission: BLOCK_ACTION,
    summary: 'Turn on all four Block Public Access settings of a bucket',
    examples: ['aws s3 block my-bucket --account prod'],
    run: async (ctx) => {
      const session = await accounts.session(ctx.args.account);
      const name = ctx.args.bucket;
      const { BucketGone, blockPublicAccess, recheckBuckets, regionOf } = await operations();
      return withAwsErrors(session.name, async () => {
        const region = await regionOf(session, { name }).catch((error) => {
          if (error instanceof BucketGone)
            throw new UserFacingError(`No bucket ${name} in account ${session.name}.`);
          throw error;
        });
        await blockPublicAccess(session, { name, region });
        const after = (await recheckBuckets(session, [{ name, region }])).get(name)!;
        const line = outcomeLine(name, after, `@${ctx.user.name}`);
        return { status: after !== 'gone' && after.status === 'not-public' ? 'ok' : 'warn', text: line };
      });
    },
  });
  bot.action<BlockArgs>(BLOCK_ACTION, {
    effect: 'write',
    permission: BLOCK_ACTION,
    run: (ctx) => blockOne(deps, ctx),
  });
  bot.action<BlockAllArgs>(BLOCK_ALL_ACTION, {
    effect: 'write',
    permission: BLOCK_ALL_ACTION,
    run: (ctx) => blockAll(deps, ctx),
  });
}
