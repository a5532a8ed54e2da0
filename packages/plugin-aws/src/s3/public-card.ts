import type { Card, CardAction } from '@chatops/core';
import { count, minute, plural, tableWithFile } from '../format.js';
import type { BucketFinding, S3ScanResult } from './scan.js';

/** A stored scan: the result, what was done since, for re-rendering the message. */
export interface S3ScanRecord {
  result: S3ScanResult;
  /** Buckets blocked from chat, by name → who (`@alice`). */
  blockedBy: Record<string, string>;
  /** Lines such as "my-bucket: public access blocked by @alice". */
  log: string[];
}

export interface S3CardOptions {
  tableRows: number;
  buttons: number;
}

export const BLOCK_ACTION = 'aws.s3.block-public-access';
export const BLOCK_ALL_ACTION = 'aws.s3.block-public-access-all';

/** What a Block button carries. */
export type BlockArgs = { scan: string; account: string; bucket: string; region: string };
/** What the "Block all listed" button carries. */
export type BlockAllArgs = { scan: string; account: string };
const MAX_LABEL = 75;

function statusCell(finding: BucketFinding, record: S3ScanRecord): string {
  const by = record.blockedBy[finding.name];
  if (by)
    return finding.status === 'not-public'
      ? `blocked by ${by}`
      : `${finding.status} (block by ${by} did not help)`;
  return finding.status;
}

function blockButton(id: string, finding: BucketFinding, account: string): CardAction {
  const long = `Block public access: ${finding.name}`;
  return {
    label: long.length <= MAX_LABEL ? long : `Block ${finding.name}`,
    action: BLOCK_ACTION,
    args: { scan: id, account, bucket: finding.name, region: finding.region } satisfies BlockArgs,
    style: 'danger',
    confirm: {
      title: 'Block public access?',
      text: `Turns on all four Block Public Access settings of ${finding.name}. Anything meant to be public there (a static website, public downloads) stops being served.`,
      ok: 'Block',
      dismiss: 'Cancel',
    },
  };
}

/** The result card: summary, table of public and unknown buckets, Block buttons, and what was done. */
export function s3ResultCard(id: string, record: S3ScanRecord, options: S3CardOptions): Card {
  const { result } = record;
  const title = `Public S3 buckets · ${result.accountName} (${result.accountId})`;
  const footer = `Checked ${minute(result.checkedAt)}. Bucket policies and bucket ACLs; object ACLs are not checked.`;
  if (result.blockedAtAccountLevel) {
    return {
      title,
      status: 'ok',
      text: 'No bucket can be public: account-level Block Public Access has IgnorePublicAcls and RestrictPublicBuckets on.',
      footer,
    };
  }
  const open = result.findings.filter(
    (finding) => finding.status === 'public' && !record.blockedBy[finding.name],
  );
  const publicCount = result.findings.filter((finding) => finding.status === 'public').length;
  const unknownCount = result.findings.filter((finding) => finding.status === 'unknown').length;
  const lines = [
    publicCount || unknownCount
      ? `${count(publicCount)} public, ${count(unknownCount)} unknown, of ${plural(result.total, 'bucket')}.`
      : `No public buckets among ${plural(result.total, 'bucket')}.`,
  ];
  if (!result.accountBlock.known) {
    lines.push(`Account-level Block Public Access could not be read (${result.accountBlock.reason}).`);
  }
  const rows = result.findings.map((finding) => [
    finding.name,
    finding.region,
    statusCell(finding, record),
    finding.reasons.join('; ') || '-',
  ]);
  const { note, ...tableParts } = tableWithFile(
    ['Bucket', 'Region', 'Status', 'Why'],
    rows,
    options.tableRows,
    `public-buckets-${result.accountName}.csv`,
  );
  const actions = open
    .slice(0, options.buttons)
    .map((finding) => blockButton(id, finding, result.accountName));
  if (open.length > 1) {
    actions.push({
      label: `Block all listed (${count(open.length)})`,
      action: BLOCK_ALL_ACTION,
      args: { scan: id, account: result.accountName } satisfies BlockAllArgs,
      style: 'danger',
      confirm: {
        title: `Block public access on ${plural(open.length, 'bucket')}?`,
        text: 'Turns on all four Block Public Access settings of every public bucket listed. Anything meant to be public there stops being served.',
        ok: 'Block all',
        dismiss: 'Cancel',
      },
    });
  }
  const card: Card = {
    title,
    status: open.length ? 'danger' : unknownCount ? 'warn' : 'ok',
    text: [...lines, ...record.log].join('\n'),
    fields: [
      { label: 'Buckets', value: count(result.total), short: true },
      { label: 'Public', value: count(publicCount), short: true },
      { label: 'Unknown', value: count(unknownCount), short: true },
      { label: 'Not fully blocked', value: count(result.couldBecomePublic), short: true },
    ],
    ...tableParts,
    footer: note ? `${note} ${footer}` : footer,
  };
  if (actions.length) card.actions = actions;
  return card;
}
