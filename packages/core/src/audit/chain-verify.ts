import { access } from 'node:fs/promises';
import type { AnchoredChain, AnchorSet } from './anchor-reader.js';
import { resolveChainId } from './audit-anchoring.js';
import { hashLine } from './audit-chain.js';
import { partialPath } from './audit-startup.js';
import { readChainLines } from './chain-lines.js';
import { type AuditCheckpoint, type CheckpointKeys, checkpointHash, checkSignature } from './checkpoint.js';
import { checkpointsPath, readCheckpointFile } from './checkpoint-file.js';
import { findChains } from './find-chains.js';
import { readLines } from './line-reader.js';
import { formatVerifyError, verifyAuditLog } from './verify.js';

/** What `audit verify` reports about one chain. */
export interface ChainReport {
  /** The chain's current file. */
  path: string;
  instance?: string;
  chain?: string;
  lines: number;
  /** Problems: tampering, or anchors that cannot be trusted. Any makes the chain fail. */
  findings: string[];
  /** Facts that are not failures (a cut-off line kept aside, what could not be checked). */
  notes: string[];
}

/** Options of {@link verifyChains}. */
export interface VerifyChainsOptions {
  /** Anchors read from the sinks; without them only the local chain is checked. */
  anchors?: AnchorSet[];
  /** Public keys by key id, for checkpoint signatures. */
  keys?: CheckpointKeys;
  /** Accept a chain whose oldest lines were deleted, without a checkpoint to start from. */
  allowMissingStart?: boolean;
  /**
   * Instances whose anchored chains must all have a local file (besides those of the chains found),
   * so that deleting every file of a replica is reported too.
   */
  instances?: string[];
}

/** Said when there is nothing off the host to compare with. */
export const NO_ANCHORS_NOTE =
  'no anchors: tail truncation and recomputed chains are not detectable without anchors (configure audit.sinks with s3, or pass --anchors)';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function range(from: number, to: number): string {
  return from === to ? `${from}` : `${from}-${to}`;
}

/** Groups sorted numbers into `a-b` ranges. */
function ranges(numbers: number[]): string {
  const parts: string[] = [];
  let start = numbers[0]!;
  let end = start;
  for (const n of numbers.slice(1)) {
    if (n === end + 1) end = n;
    else {
      parts.push(range(start, end));
      start = end = n;
    }
  }
  if (numbers.length > 0) parts.push(range(start, end));
  return parts.join(', ');
}

interface LocalLine {
  file: string;
  line: number;
  hash: string;
}

/** Checks the signatures and the links of a chain's checkpoints; returns the trusted ones. */
function trustedCheckpoints(
  label: string,
  checkpoints: { key: string; checkpoint: AuditCheckpoint }[],
  keys: CheckpointKeys | undefined,
  findings: string[],
): AuditCheckpoint[] {
  const trusted: AuditCheckpoint[] = [];
  if (checkpoints.length > 0 && (!keys || keys.size === 0)) {
    findings.push(
      `${label}: ${checkpoints.length} checkpoint(s) not checked: no public keys given (audit.checkpoints.publicKeys or --public-key)`,
    );
    return trusted;
  }
  for (const { key, checkpoint } of checkpoints) {
    const bad = checkSignature(checkpoint, keys!);
    if (bad) {
      findings.push(`${label}: checkpoint ${key} (seq ${checkpoint.firstSeq}-${checkpoint.lastSeq}): ${bad}`);
      continue;
    }
    const before = trusted.at(-1);
    if (
      before &&
      (checkpoint.previous !== checkpointHash(before) || checkpoint.firstSeq !== before.lastSeq + 1)
    ) {
      findings.push(
        `${label}: checkpoint ${key} (seq ${checkpoint.firstSeq}-${checkpoint.lastSeq}) does not follow the checkpoint up to seq ${before.lastSeq} (a checkpoint is missing or was replaced)`,
      );
    }
    trusted.push(checkpoint);
  }
  return trusted;
}

/**
 * Checks each chain: its own hash chain, then, with anchors, its lines against the signed
 * checkpoints and the shipped batches. Reports lines missing at the end, edited lines (also when the
 * chain after them was recomputed), appended lines no anchor knows, chains the anchors hold but no
 * file does, and checkpoints with a bad signature, each naming the file, line and seq range.
 */
export async function verifyChains(
  paths: string[],
  options: VerifyChainsOptions = {},
): Promise<ChainReport[]> {
  const reports: ChainReport[] = [];
  const seen = new Set<string>();
  for (const path of await findChains(paths)) {
    const report = await verifyOne(path, options);
    if (report.instance && report.chain) seen.add(`${report.instance}/${report.chain}`);
    reports.push(report);
  }
  const instances = new Set([
    ...(options.instances ?? []),
    ...reports.map((report) => report.instance).filter((instance) => instance !== undefined),
  ]);
  for (const set of options.anchors ?? []) {
    for (const [id, anchored] of set.chains) {
      if (seen.has(id) || !instances.has(anchored.instance)) continue;
      const last = anchored.checkpoints.at(-1)?.checkpoint;
      const top = Math.max(last?.lastSeq ?? 0, ...anchored.lines.keys());
      reports.push({
        path: `${set.source}${id}`,
        instance: anchored.instance,
        chain: anchored.chain,
        lines: 0,
        findings: [
          `${set.source}: chain ${anchored.chain.slice(0, 12)}… of instance ${anchored.instance} (seq 1-${top}${last ? `, last checkpoint ${last.time}` : ''}) has no local file: the chain file was deleted or replaced`,
        ],
        notes: [],
      });
    }
  }
  return reports;
}

async function verifyOne(path: string, options: VerifyChainsOptions): Promise<ChainReport> {
  const report: ChainReport = { path, lines: 0, findings: [], notes: [] };
  const local = new Map<number, LocalLine>();
  let lastSeq = 0;
  let firstSeq: { seq: number; prev: string } | undefined;
  for await (const { file, line, seq, bytes } of readChainLines(path)) {
    if (seq === undefined) continue;
    if (!firstSeq) {
      const prev = /"prev":"([0-9a-f]{64})"\}$/.exec(bytes.toString('utf8'))?.[1] ?? '';
      firstSeq = { seq, prev };
    }
    if (!report.instance) {
      const instance = /"instance":"([^"]+)"/.exec(bytes.subarray(0, 200).toString('utf8'))?.[1];
      if (instance) report.instance = instance;
    }
    local.set(seq, { file, line, hash: hashLine(bytes) });
    lastSeq = Math.max(lastSeq, seq);
  }
  const chain = await resolveChainId(path, lastSeq);
  if (chain) report.chain = chain;
  const localCheckpoints = trustedCheckpoints(
    `${checkpointsPath(path)}`,
    (await readCheckpointFile(checkpointsPath(path)))
      .filter((checkpoint) => checkpoint.chain === chain)
      .map((checkpoint) => ({ key: `seq ${checkpoint.lastSeq}`, checkpoint })),
    options.keys,
    [],
  );
  const anchored = (options.anchors ?? []).map((set) => ({
    set,
    chain: report.instance && chain ? set.chains.get(`${report.instance}/${chain}`) : undefined,
  }));
  const startCheckpoints = [
    ...localCheckpoints,
    ...anchored.flatMap(({ set, chain: entry }) =>
      entry ? trustedCheckpoints(set.source, entry.checkpoints, options.keys, []) : [],
    ),
  ];
  const startsAtCheckpoint =
    firstSeq !== undefined &&
    firstSeq.seq > 1 &&
    startCheckpoints.some((cp) => cp.lastSeq === firstSeq!.seq - 1 && cp.head === firstSeq!.prev);
  if (startsAtCheckpoint)
    report.notes.push(`starts at seq ${firstSeq!.seq}, right after a signed checkpoint`);
  const chainResult = await verifyAuditLog(path, {
    allowMissingStart: options.allowMissingStart === true || startsAtCheckpoint,
  });
  report.lines = chainResult.lines;
  if (!chainResult.ok) report.findings.push(formatVerifyError(chainResult.error!));
  if (await exists(partialPath(path))) {
    let count = 0;
    for await (const _ of readLines(partialPath(path))) count += 1;
    report.notes.push(`${partialPath(path)} holds ${count} cut-off last line(s) kept aside at start-up`);
  }
  if (!options.anchors || options.anchors.length === 0) {
    report.notes.push(NO_ANCHORS_NOTE);
    return report;
  }
  for (const { set, chain: entry } of anchored) {
    if (!entry) {
      report.findings.push(
        `${path}: lines ${lastSeq > 0 ? `seq 1-${lastSeq}` : ''} are not anchored at all in ${set.source} (no checkpoint or batch of this chain: a chain recomputed from its first line, or never shipped)`,
      );
      continue;
    }
    compareWithAnchors(
      path,
      local,
      lastSeq,
      set.source,
      entry,
      options.keys,
      report.findings,
      localCheckpoints,
    );
  }
  for (const set of options.anchors) report.findings.push(...set.problems);
  return report;
}

function where(local: Map<number, LocalLine>, seqs: number[]): string {
  const first = local.get(seqs[0]!)!;
  const last = local.get(seqs.at(-1)!)!;
  const lines = first.file === last.file ? range(first.line, last.line) : `${first.line}-…`;
  return `${first.file} line${lines.includes('-') ? 's' : ''} ${lines} (seq ${ranges(seqs)})`;
}

function compareWithAnchors(
  path: string,
  local: Map<number, LocalLine>,
  lastSeq: number,
  source: string,
  anchored: AnchoredChain,
  keys: CheckpointKeys | undefined,
  findings: string[],
  localCheckpoints: AuditCheckpoint[],
): void {
  const checkpoints = trustedCheckpoints(source, anchored.checkpoints, keys, findings);
  const differs: number[] = [];
  for (const [seq, shipped] of [...anchored.lines].sort(([a], [b]) => a - b)) {
    const mine = local.get(seq);
    if (mine && mine.hash !== hashLine(shipped.line)) differs.push(seq);
  }
  if (differs.length > 0) {
    findings.push(
      `${where(local, differs)}: differ from the copies shipped to ${source} (edited${differs.length > 1 ? ', or the chain was recomputed from the first of them' : ''})`,
    );
  }
  for (const checkpoint of checkpoints) {
    const mine = local.get(checkpoint.lastSeq);
    if (mine && mine.hash !== checkpoint.head && !differs.includes(checkpoint.lastSeq)) {
      findings.push(
        `${where(local, [checkpoint.lastSeq])}: does not match the signed checkpoint of ${checkpoint.time} in ${source} (edited, or the chain was recomputed)`,
      );
    }
  }
  const anchoredTop = Math.max(checkpoints.at(-1)?.lastSeq ?? 0, ...anchored.lines.keys(), 0);
  if (lastSeq < anchoredTop) {
    findings.push(
      `${path}: seq ${range(lastSeq + 1, anchoredTop)} missing at the end (${source} holds them: lines were cut from the end)`,
    );
  }
  const unanchored = [...local.keys()].filter((seq) => seq > anchoredTop).sort((a, b) => a - b);
  if (unanchored.length > 0) {
    const last = checkpoints.at(-1);
    const resumed =
      last !== undefined &&
      localCheckpoints.some((checkpoint) => checkpoint.previous === checkpointHash(last));
    const why =
      last?.final && !resumed
        ? `appended after the final checkpoint of ${last.time}, while the robot was stopped: forged`
        : 'appended after the last anchor: forged, or not shipped yet';
    findings.push(
      `${where(local, unanchored)}: not in any checkpoint or shipped batch in ${source} (${why})`,
    );
  }
}
