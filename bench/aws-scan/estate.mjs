/** The estate both sides scan: 1,000 buckets and 5,000 users, the same every run. */
export const BUCKETS = 1000;
export const USERS = 5000;
export const LATENCY_MS = 50;
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];

const publicPolicy = (name) => ({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` },
  ],
});

/** The i-th bucket: in a cycle of 20, one public by ACL, one by policy, and two that look public but are not. */
export function bucketInit(i) {
  const name = `bench-bucket-${String(i).padStart(4, '0')}`;
  const init = { name, region: REGIONS[i % REGIONS.length] };
  switch (i % 20) {
    case 0:
      return { ...init, acl: 'public-read' };
    case 1:
      return { ...init, policy: publicPolicy(name) };
    case 2:
      return { ...init, acl: 'public-read', ownership: 'BucketOwnerEnforced' };
    case 3:
      return {
        ...init,
        policy: publicPolicy(name),
        publicAccessBlock: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      };
    default:
      return init;
  }
}

/** Public buckets among the first `count`. */
export function expectedPublic(count = BUCKETS) {
  let publicBuckets = 0;
  for (let i = 0; i < count; i++) if (i % 20 === 0 || i % 20 === 1) publicBuckets += 1;
  return publicBuckets;
}

/** Every third user has no MFA; every other user has a console password. */
export function userInit(i) {
  return {
    name: `user-${String(i).padStart(4, '0')}`,
    password: i % 2 === 0,
    mfa: i % 3 !== 0,
    createdAt: new Date('2024-01-01T00:00:00Z'),
  };
}

export const expectedWithoutMfa = () => Math.ceil(USERS / 3);

/** Fills the default account of an emulator with the estate. */
export function seed(emulator) {
  const account = emulator.account();
  for (let i = 0; i < BUCKETS; i++) account.addBucket(bucketInit(i));
  for (let i = 0; i < USERS; i++) account.addUser(userInit(i));
}
