#!/usr/bin/env node
// Starts the AWS emulator with demo data, for trying the plugin offline:
//   node packages/plugin-aws/bin/aws-emulator.js [--port 4566] [--latency 0]
import { parseArgs } from 'node:util';
import { seedDemo, startAwsEmulator } from '../dist/emulator/index.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '4566' }, latency: { type: 'string', default: '0' } },
});
const port = Number(values.port);
const latencyMs = Number(values.latency);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isFinite(latencyMs) || latencyMs < 0) {
  console.error('usage: aws-emulator [--port 4566] [--latency MS]');
  process.exit(2);
}
const emulator = await startAwsEmulator({
  port,
  latencyMs,
  credentials: { accessKeyId: 'AKIAEMULATORDEMO0000', secretAccessKey: 'emulator-demo-secret' },
});
seedDemo(emulator);
console.log(`AWS emulator listening on ${emulator.endpoint}`);
console.log(
  `export AWS_ENDPOINT_URL=${emulator.endpoint} AWS_ACCESS_KEY_ID=${emulator.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${emulator.credentials.secretAccessKey} AWS_REGION=us-east-1`,
);
const stop = async () => {
  await emulator.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
