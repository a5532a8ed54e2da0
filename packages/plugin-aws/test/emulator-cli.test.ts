import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { awsConfigSchema } from '../src/index.js';

const BIN = fileURLToPath(new URL('../bin/aws-emulator.js', import.meta.url));
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  child = undefined;
});

/** Resolves with the exported variables once the emulator prints them. */
function startDemo(): Promise<Record<string, string>> {
  child = spawn(process.execPath, [BIN, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => candidate.startsWith('export '));
      if (line)
        resolve(
          Object.fromEntries(
            line
              .slice(7)
              .split(' ')
              .map((pair) => pair.split('=') as [string, string]),
          ),
        );
    });
    child!.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
  });
}

describe('the demo emulator command', () => {
  it('starts with demo data and prints the variables to reach it', async () => {
    const env = await startDemo();
    expect(env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: env.AWS_ENDPOINT_URL,
      forcePathStyle: true,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    });
    const listed = await s3.send(new ListBucketsCommand({}));
    s3.destroy();
    expect(listed.Buckets?.map((bucket) => bucket.Name)).toContain('acme-website');
  });

  it('refuses a bad port with its usage', async () => {
    child = spawn(process.execPath, [BIN, '--port', 'x'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('usage: aws-emulator');
  });
});

describe('config from the environment', () => {
  it('treats an empty endpoint (an unset AWS_ENDPOINT_URL interpolated) as AWS itself', () => {
    expect(awsConfigSchema.parse({ endpoint: '' }).endpoint).toBeUndefined();
    expect(awsConfigSchema.safeParse({ endpoint: 'not a url' }).success).toBe(false);
    expect(z.toJSONSchema(awsConfigSchema, { io: 'input' })).toHaveProperty('properties.endpoint');
  });
});
