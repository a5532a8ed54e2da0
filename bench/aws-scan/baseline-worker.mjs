import { IAMClient, ListMFADevicesCommand, paginateListUsers } from '@aws-sdk/client-iam';
import {
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startAwsEmulator } from '@chatops/plugin-aws/emulator';
import { workerMain } from '../lib/worker.mjs';
import { BUCKETS, expectedPublic, LATENCY_MS, seed } from './estate.mjs';

const RUNS = 3;
/**
 * Buckets the sequential baseline checks per run (one cycle of the estate's pattern). Its time is the
 * set-up (identity, account block, listing) plus a per-bucket part linear in the buckets, scaled up.
 */
export const SAMPLE = 20;
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

/** Runs one call; an AWS error whose name is in `absent` means "not configured" and gives undefined. */
async function call(client, command, absent) {
  try {
    return await client.send(command);
  } catch (error) {
    if (error.name === absent || error.Code === absent) return undefined;
    throw error;
  }
}

/**
 * The aws-cli script's scan (examples/scripts/list-public-buckets.sh), one call at a time: caller
 * identity, account block, list, then per bucket its block, policy status, ownership and (unless ACLs
 * are disabled) ACL. It is handed each bucket's region and pays no CLI start-up per call, so it is
 * faster than the real script.
 */
async function sequentialScan(emulator, sample) {
  const options = { region: 'us-east-1', endpoint: emulator.endpoint, credentials: emulator.credentials };
  const clients = new Map();
  const s3 = (region) => {
    if (!clients.has(region)) clients.set(region, new S3Client({ ...options, region, forcePathStyle: true }));
    return clients.get(region);
  };
  const identity = await new STSClient(options).send(new GetCallerIdentityCommand({}));
  const accountBlock = await call(
    // As the plugin does: the endpoint rules would put "<account>." in front of 127.0.0.1.
    new S3ControlClient({ ...options, endpointProvider: () => ({ url: new URL(emulator.endpoint) }) }),
    new GetAccountBlockCommand({ AccountId: identity.Account }),
    'NoSuchPublicAccessBlockConfiguration',
  );
  const account = accountBlock?.PublicAccessBlockConfiguration ?? {};
  const buckets = [];
  for await (const page of paginateListBuckets({ client: s3('us-east-1') }, { MaxBuckets: 1000 })) {
    buckets.push(...(page.Buckets ?? []));
  }
  const listedAt = performance.now();
  let publicBuckets = 0;
  for (const bucket of buckets.slice(0, sample)) {
    const client = s3(bucket.BucketRegion ?? 'us-east-1');
    const Bucket = bucket.Name;
    const block =
      (
        await call(
          client,
          new GetPublicAccessBlockCommand({ Bucket }),
          'NoSuchPublicAccessBlockConfiguration',
        )
      )?.PublicAccessBlockConfiguration ?? {};
    const policy = await call(client, new GetBucketPolicyStatusCommand({ Bucket }), 'NoSuchBucketPolicy');
    const ownership = await call(
      client,
      new GetBucketOwnershipControlsCommand({ Bucket }),
      'OwnershipControlsNotFoundError',
    );
    let aclPublic = false;
    if (ownership?.OwnershipControls?.Rules?.[0]?.ObjectOwnership !== 'BucketOwnerEnforced') {
      const acl = await client.send(new GetBucketAclCommand({ Bucket }));
      aclPublic = (acl.Grants ?? []).some(
        (grant) => grant.Grantee?.Type === 'Group' && [ALL_USERS, AUTHENTICATED].includes(grant.Grantee.URI),
      );
    }
    const restrict = block.RestrictPublicBuckets || account.RestrictPublicBuckets;
    const ignore = block.IgnorePublicAcls || account.IgnorePublicAcls;
    if ((policy?.PolicyStatus?.IsPublic && !restrict) || (aclPublic && !ignore)) publicBuckets += 1;
  }
  return { listed: buckets.length, publicBuckets, listedAt };
}

/** Users without MFA the per-user way: ListUsers, then ListMFADevices for each user (16 at a time). */
async function perUserMfa(emulator) {
  const iam = new IAMClient({
    region: 'us-east-1',
    endpoint: emulator.endpoint,
    credentials: emulator.credentials,
  });
  const users = [];
  for await (const page of paginateListUsers({ client: iam }, {})) users.push(...(page.Users ?? []));
  let withoutMfa = 0;
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const user = users[next++];
      const devices = await iam.send(new ListMFADevicesCommand({ UserName: user.UserName }));
      if ((devices.MFADevices ?? []).length === 0) withoutMfa += 1;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return { users: users.length, withoutMfa };
}

/** `baseline-worker.mjs`: the sequential S3 scan on a sample, and the per-user MFA check, on the same estate. */
await workerMain(async () => {
  const emulator = await startAwsEmulator({ latencyMs: LATENCY_MS });
  seed(emulator);
  try {
    const s3 = [];
    for (let r = 0; r < RUNS; r++) {
      emulator.resetCallCounts();
      const started = performance.now();
      const result = await sequentialScan(emulator, SAMPLE);
      const wallMs = performance.now() - started;
      if (result.publicBuckets !== expectedPublic(SAMPLE)) {
        throw new Error(
          `sequential scan found ${result.publicBuckets} public buckets, expected ${expectedPublic(SAMPLE)}`,
        );
      }
      const setupMs = result.listedAt - started;
      const perBucketMs = (wallMs - setupMs) / SAMPLE;
      const counts = emulator.callCounts();
      const bucketCalls = Object.entries(counts)
        .filter(([operation]) => operation.startsWith('s3:') && operation !== 's3:ListBuckets')
        .reduce((sum, [, count]) => sum + count, 0);
      s3.push({
        wallMs,
        setupMs,
        perBucketMs,
        scaledMs: setupMs + perBucketMs * BUCKETS,
        calls: emulator.totalCalls(),
        scaledCalls: emulator.totalCalls() - bucketCalls + (bucketCalls / SAMPLE) * BUCKETS,
        counts,
      });
    }
    emulator.resetCallCounts();
    const started = performance.now();
    const mfa = await perUserMfa(emulator);
    const iam = {
      wallMs: performance.now() - started,
      iamCalls: emulator.totalCalls(),
      counts: emulator.callCounts(),
      ...mfa,
    };
    return { sample: SAMPLE, s3, iam };
  } finally {
    await emulator.close();
  }
});
