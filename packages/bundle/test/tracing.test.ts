import { execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type AwsEmulator, seedDemo, startAwsEmulator } from '@chatops/plugin-aws/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Traces exported by a real `chatops start` to a local OTLP/HTTP receiver (JSON encoding).
const cli = fileURLToPath(new URL('../../core/bin/chatops.js', import.meta.url));
const recordImports = fileURLToPath(new URL('./fixtures/record-imports.mjs', import.meta.url));
const bundleDir = fileURLToPath(new URL('..', import.meta.url));

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

let dir: string;
let receiver: Server;
let endpoint: string;
let emulator: AwsEmulator;
const spans: ExportedSpan[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatops-tracing-'));
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type'] === 'application/json') {
        const payload = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[];
        };
        for (const resource of payload.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  emulator = await startAwsEmulator({
    port: 0,
    credentials: { accessKeyId: 'AKIATRACINGTEST00000', secretAccessKey: 'tracing-test-secret' },
  });
  seedDemo(emulator);
  await writeFile(join(dir, 'greet.sh'), '#!/bin/sh\necho "hello from the script"\n');
  await chmod(join(dir, 'greet.sh'), 0o755);
  await writeFile(
    join(dir, 'chatops.config.yaml'),
    [
      'adapter: shell',
      'store: { type: memory }',
      `audit: { path: ${join(dir, 'audit.jsonl')} }`,
      'log: { level: debug }',
      'plugins:',
      `  "@chatops/plugin-shell": { scripts: { greet: { description: Greets, command: ./greet.sh, effect: read } } }`,
      `  "@chatops/plugin-aws": { endpoint: "${emulator.endpoint}", region: us-east-1 }`,
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await emulator?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** `chatops start` with these lines piped in; resolves with its output once it exits. */
function startWith(lines: string[], env: Record<string, string>): Promise<string> {
  const bot = spawn(process.execPath, [cli, 'start', '--config', join(dir, 'chatops.config.yaml')], {
    cwd: bundleDir,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
      ...env,
    },
  });
  let output = '';
  bot.stdout.on('data', (chunk) => {
    output += chunk;
  });
  bot.stderr.on('data', (chunk) => {
    output += chunk;
  });
  bot.stdin.end(`${lines.join('\n')}\n`);
  return new Promise((resolve, reject) =>
    bot.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`exit ${code}:\n${output}`)),
    ),
  );
}

function chainToRoot(span: ExportedSpan, byId: Map<string, ExportedSpan>): string[] {
  const names = [span.name];
  let current = span;
  while (current.parentSpanId) {
    const parent = byId.get(current.parentSpanId);
    if (!parent) throw new Error(`span ${current.name} has a parent that was not exported`);
    names.push(parent.name);
    current = parent;
  }
  return names;
}

describe('OpenTelemetry tracing', () => {
  it('exports one trace per request: pipeline steps, handler, script run and AWS calls as children', async () => {
    const output = await startWith(['run greet', 'aws s3 public'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(output).toContain('hello from the script');
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const roots = spans.filter((span) => !span.parentSpanId);
    expect(roots.map((span) => span.name)).toEqual(['chatops message', 'chatops message']);

    const script = spans.find((span) => span.name === 'script greet')!;
    expect(chainToRoot(script, byId)).toEqual([
      'script greet',
      'handler run',
      'step audit',
      'step approval',
      'step checkOnly',
      'step singleUse',
      'step authorize',
      'step unroutable',
      'step rateLimit',
      'chatops message',
    ]);
    const listBuckets = spans.find((span) => span.name === 'S3.ListBuckets')!;
    expect(chainToRoot(listBuckets, byId)).toContain('handler aws s3 public');
    expect(listBuckets.traceId).not.toBe(script.traceId);
    for (const span of spans) expect([script.traceId, listBuckets.traceId]).toContain(span.traceId);

    // The trace id is in the request's audit lines and log lines.
    const audit = (await readFile(join(dir, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { target: string; traceId?: string });
    expect(audit.filter((line) => line.target === 'run').map((line) => line.traceId)).toEqual([
      script.traceId,
      script.traceId,
    ]);
    expect(audit.filter((line) => line.target === 'aws s3 public').map((line) => line.traceId)).toEqual([
      listBuckets.traceId,
      listBuckets.traceId,
    ]);
    const handled = output
      .split('\n')
      .filter((line) => line.includes('"request handled"'))
      .map((line) => JSON.parse(line) as { traceId?: string });
    expect(handled.map((line) => line.traceId)).toEqual([script.traceId, listBuckets.traceId]);
  });

  it('loads no tracing SDK when OTEL_EXPORTER_OTLP_ENDPOINT is not set', async () => {
    const run = (env: Record<string, string>) =>
      promisify(execFile)(
        process.execPath,
        ['--import', recordImports, cli, 'run', '--config', join(dir, 'chatops.config.yaml'), 'run greet'],
        { cwd: bundleDir, env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '', ...env } },
      );
    const without = await run({});
    expect(without.stdout).toContain('hello from the script');
    const loaded = JSON.parse(/opentelemetry modules: (.*)/.exec(without.stderr)![1]!) as string[];
    expect(loaded.filter((url) => !url.startsWith('@opentelemetry/api/'))).toEqual([]);
    const withEndpoint = await run({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    expect(withEndpoint.stderr).toContain('@opentelemetry/sdk-trace/');
  });
});
