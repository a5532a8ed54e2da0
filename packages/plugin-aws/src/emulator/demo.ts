import type { AwsEmulator } from './server.js';

/** Id of the second demo account, reachable through the role `chatops-audit` with external id `demo`. */
export const DEMO_PROD_ACCOUNT = '210987654321';

/**
 * Fills an emulator with a small, varied estate for demos and manual tries: public and private buckets in
 * several regions, users with and without MFA, and a second account behind a role.
 */
export function seedDemo(emulator: AwsEmulator): void {
  const dev = emulator.account();
  dev.addBucket({ name: 'acme-website', acl: 'public-read' });
  dev.addBucket({
    name: 'acme-downloads',
    region: 'eu-west-1',
    policy: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::acme-downloads/*',
        },
      ],
    },
  });
  dev.addBucket({ name: 'acme-partner-drop', region: 'ap-southeast-2', acl: 'authenticated-read' });
  dev.addBucket({ name: 'acme-logs', ownership: 'BucketOwnerEnforced' });
  dev.addBucket({
    name: 'acme-backups',
    region: 'eu-west-1',
    publicAccessBlock: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  });
  const created = new Date('2023-03-01T09:00:00Z');
  dev.addUser({
    name: 'alice',
    password: true,
    passwordLastUsed: new Date('2024-06-01T10:00:00Z'),
    createdAt: created,
    tags: { email: 'alice@example.com' },
  });
  dev.addUser({ name: 'bob', password: true, mfa: true, createdAt: created });
  dev.addUser({ name: 'ci-deploy', accessKeys: 1, createdAt: created });

  const prod = emulator.addAccount(DEMO_PROD_ACCOUNT);
  prod.addRole({ name: 'chatops-audit', externalId: 'demo' });
  prod.addBucket({ name: 'acme-prod-assets', region: 'eu-west-1', acl: 'public-read' });
  prod.addUser({ name: 'carol', password: true, createdAt: created });
}
