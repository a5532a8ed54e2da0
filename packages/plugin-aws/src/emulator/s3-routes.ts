import { blockFlags } from './account.js';
import { effectiveGrants, grantsFor, grantsXml, isCannedAcl } from './acl.js';
import { AwsError } from './errors.js';
import type { EmulatedBucket, PublicAccessBlockFlags } from './model.js';
import { isPolicyPublic } from './policy-status.js';
import type { EmulatorResponse, Route, RouteEnv } from './route.js';
import {
  deleteObject,
  getObject,
  getObjectLockConfiguration,
  getObjectRetention,
  listObjectsV2,
  listObjectVersions,
  putObject,
  putObjectRetention,
} from './s3-objects.js';
import { escapeXml, readBooleanElement, tag, xmlDocument } from './xml.js';

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const FLAG_NAMES = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;
const MAX_PAGE = 10_000;

/** An S3 request as the router needs it. */
export interface S3Request {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body's bytes (object uploads). */
  raw: Buffer;
}

function xml(body: string, headers: Record<string, string> = {}): EmulatorResponse {
  return { status: 200, body: xmlDocument(body), headers };
}

/** The PublicAccessBlockConfiguration document (bucket level and, with its namespace, S3 Control). */
export function publicAccessBlockXml(flags: PublicAccessBlockFlags, namespace: string): string {
  const body = FLAG_NAMES.map((name) => tag(name, flags[name])).join('');
  return xmlDocument(
    `<PublicAccessBlockConfiguration xmlns="${namespace}">${body}</PublicAccessBlockConfiguration>`,
  );
}

/** Reads the four flags of a PutPublicAccessBlock body; throws S3's errors for bad bodies. */
export function parsePublicAccessBlock(body: string): PublicAccessBlockFlags {
  if (!/<PublicAccessBlockConfiguration[\s>]/.test(body)) {
    throw new AwsError(
      'MalformedXML',
      400,
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  }
  const flags = blockFlags(
    Object.fromEntries(FLAG_NAMES.map((name) => [name, readBooleanElement(body, name) ?? false])),
  );
  if (!FLAG_NAMES.some((name) => flags[name])) {
    throw new AwsError('InvalidRequest', 400, 'Must specify at least one configuration.');
  }
  return flags;
}

function listBuckets(request: S3Request, env: RouteEnv): EmulatorResponse {
  const params = request.url.searchParams;
  const paginated = params.has('max-buckets') || params.has('continuation-token');
  const maxParam = params.get('max-buckets');
  const pageSize = maxParam === null ? MAX_PAGE : Number(maxParam);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE) {
    throw new AwsError(
      'InvalidArgument',
      400,
      'Argument max-buckets must be an integer between 1 and 10000.',
    );
  }
  const prefix = params.get('prefix') ?? '';
  const region = params.get('bucket-region');
  const after = params.get('continuation-token');
  const startAfter = after ? Buffer.from(after, 'base64url').toString('utf8') : undefined;
  const matching = env.account
    .buckets()
    .filter((bucket) => bucket.name.startsWith(prefix) && (!region || bucket.region === region))
    .filter((bucket) => startAfter === undefined || bucket.name > startAfter);
  const page = paginated ? matching.slice(0, pageSize) : matching;
  const more = paginated && matching.length > page.length;
  const withRegion = paginated && env.listBucketRegions;
  const buckets = page
    .map(
      (bucket) =>
        `<Bucket>${tag('Name', bucket.name)}${tag('CreationDate', bucket.createdAt.toISOString())}` +
        `${withRegion ? tag('BucketRegion', bucket.region) : ''}</Bucket>`,
    )
    .join('');
  const token = more ? Buffer.from(page[page.length - 1]!.name).toString('base64url') : undefined;
  return xml(
    `<ListAllMyBucketsResult xmlns="${S3_NS}"><Owner>${tag('ID', env.account.canonicalId)}</Owner>` +
      `<Buckets>${buckets}</Buckets>${tag('ContinuationToken', token)}` +
      `${params.has('prefix') ? tag('Prefix', prefix) : ''}</ListAllMyBucketsResult>`,
  );
}

function locationOf(bucket: EmulatedBucket): string {
  if (bucket.legacyLocation) return 'EU';
  return bucket.region === 'us-east-1' ? '' : bucket.region;
}

type BucketHandler = (bucket: EmulatedBucket, request: S3Request, env: RouteEnv) => EmulatorResponse;

const getLocation: BucketHandler = (bucket) => {
  const location = locationOf(bucket);
  return xml(
    location
      ? `<LocationConstraint xmlns="${S3_NS}">${escapeXml(location)}</LocationConstraint>`
      : `<LocationConstraint xmlns="${S3_NS}"/>`,
  );
};

const getPublicAccessBlock: BucketHandler = (bucket) => {
  if (!bucket.publicAccessBlock) {
    throw new AwsError(
      'NoSuchPublicAccessBlockConfiguration',
      404,
      'The public access block configuration was not found',
      {
        BucketName: bucket.name,
      },
    );
  }
  return { status: 200, body: publicAccessBlockXml(bucket.publicAccessBlock, S3_NS) };
};

const putPublicAccessBlock: BucketHandler = (bucket, request) => {
  bucket.publicAccessBlock = parsePublicAccessBlock(request.body);
  return { status: 200 };
};

const deletePublicAccessBlock: BucketHandler = (bucket) => {
  bucket.publicAccessBlock = undefined;
  return { status: 204 };
};

function requirePolicy(bucket: EmulatedBucket): string {
  if (bucket.policy === undefined) {
    throw new AwsError('NoSuchBucketPolicy', 404, 'The bucket policy does not exist', {
      BucketName: bucket.name,
    });
  }
  return bucket.policy;
}

const getPolicyStatus: BucketHandler = (bucket) =>
  xml(
    `<PolicyStatus xmlns="${S3_NS}">${tag('IsPublic', isPolicyPublic(requirePolicy(bucket)))}</PolicyStatus>`,
  );

const getPolicy: BucketHandler = (bucket) => ({
  status: 200,
  body: requirePolicy(bucket),
  headers: { 'content-type': 'application/json' },
});

const getAcl: BucketHandler = (bucket, _request, env) => {
  const grants = effectiveGrants(bucket, env.account.canonicalId, env.account.effectiveBlock(bucket));
  return xml(
    `<AccessControlPolicy xmlns="${S3_NS}"><Owner>${tag('ID', env.account.canonicalId)}</Owner>` +
      `<AccessControlList>${grantsXml(grants)}</AccessControlList></AccessControlPolicy>`,
  );
};

const putAcl: BucketHandler = (bucket, request, env) => {
  if (bucket.ownership === 'BucketOwnerEnforced') {
    throw new AwsError('AccessControlListNotSupported', 400, 'The bucket does not allow ACLs');
  }
  const canned = String(request.headers['x-amz-acl'] ?? '');
  if (!isCannedAcl(canned))
    throw new AwsError('NotImplemented', 501, 'Only canned ACLs (x-amz-acl) are emulated');
  bucket.grants = grantsFor(env.account.canonicalId, canned);
  return { status: 200 };
};

const getOwnership: BucketHandler = (bucket) => {
  if (!bucket.ownership) {
    throw new AwsError(
      'OwnershipControlsNotFoundError',
      404,
      'The bucket ownership controls were not found',
      {
        BucketName: bucket.name,
      },
    );
  }
  return xml(
    `<OwnershipControls xmlns="${S3_NS}"><Rule>${tag('ObjectOwnership', bucket.ownership)}</Rule></OwnershipControls>`,
  );
};

const headBucket: BucketHandler = (bucket) => ({
  status: 200,
  headers: { 'x-amz-bucket-region': bucket.region },
});

const SUBRESOURCES = [
  'location',
  'publicAccessBlock',
  'policyStatus',
  'policy',
  'acl',
  'ownershipControls',
  'versions',
  'object-lock',
  'list-type',
];

/** Method + subresource → operation name and handler. */
const BUCKET_ROUTES: Record<string, [string, BucketHandler]> = {
  'GET location': ['GetBucketLocation', getLocation],
  'GET publicAccessBlock': ['GetPublicAccessBlock', getPublicAccessBlock],
  'PUT publicAccessBlock': ['PutPublicAccessBlock', putPublicAccessBlock],
  'DELETE publicAccessBlock': ['DeletePublicAccessBlock', deletePublicAccessBlock],
  'GET policyStatus': ['GetBucketPolicyStatus', getPolicyStatus],
  'GET policy': ['GetBucketPolicy', getPolicy],
  'GET acl': ['GetBucketAcl', getAcl],
  'PUT acl': ['PutBucketAcl', putAcl],
  'GET ownershipControls': ['GetBucketOwnershipControls', getOwnership],
  'HEAD ': ['HeadBucket', headBucket],
  'GET list-type': ['ListObjectsV2', (bucket, request) => listObjectsV2(bucket, request)],
  'GET versions': [
    'ListObjectVersions',
    (bucket, request, env) => listObjectVersions(bucket, request, env.account.canonicalId),
  ],
  'GET object-lock': ['GetObjectLockConfiguration', (bucket) => getObjectLockConfiguration(bucket)],
};

type ObjectHandler = (
  bucket: EmulatedBucket,
  key: string,
  request: S3Request,
  env: RouteEnv,
) => EmulatorResponse;

/** Method + subresource → object operation and handler. */
const OBJECT_ROUTES: Record<string, [string, ObjectHandler]> = {
  'PUT ': ['PutObject', putObject],
  'GET ': ['GetObject', (bucket, key, request) => getObject(bucket, key, request)],
  'HEAD ': ['HeadObject', (bucket, key, request) => ({ ...getObject(bucket, key, request), body: '' })],
  'DELETE ': ['DeleteObject', deleteObject],
  'PUT retention': ['PutObjectRetention', putObjectRetention],
  'GET retention': ['GetObjectRetention', (bucket, key, request) => getObjectRetention(bucket, key, request)],
};

/** CreateBucket (`x-amz-bucket-object-lock-enabled: true` turns Object Lock and versioning on). */
function createBucket(name: string, request: S3Request, env: RouteEnv): EmulatorResponse {
  const existing = env.findBucket(name);
  if (existing) {
    throw existing.accountId === env.account.id
      ? new AwsError(
          'BucketAlreadyOwnedByYou',
          409,
          'Your previous request to create the named bucket succeeded and you already own it.',
          { BucketName: name },
        )
      : new AwsError(
          'BucketAlreadyExists',
          409,
          'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
          { BucketName: name },
        );
  }
  const region = /<LocationConstraint>\s*([^<]+?)\s*<\/LocationConstraint>/.exec(request.body)?.[1];
  const lock = String(request.headers['x-amz-bucket-object-lock-enabled'] ?? '').toLowerCase() === 'true';
  env.account.addBucket({ name, region: region ?? 'us-east-1', objectLock: lock });
  return { status: 200, headers: { location: `/${name}` } };
}

/** Looks the bucket up, checks ownership and region, then runs the handler. */
function runOnBucket(
  name: string,
  operation: string,
  handler: BucketHandler,
  request: S3Request,
  env: RouteEnv,
): EmulatorResponse {
  const bucket = env.findBucket(name);
  if (!bucket)
    throw new AwsError('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: name });
  if (bucket.accountId !== env.account.id) throw new AwsError('AccessDenied', 403, 'Access Denied');
  // GetBucketLocation answers from any region; everything else must be signed for the bucket's region.
  if (env.regionRedirects && operation !== 'GetBucketLocation' && bucket.region !== env.signedRegion) {
    throw new AwsError(
      'PermanentRedirect',
      301,
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      { Bucket: name, Endpoint: `${name}.s3.${bucket.region}.amazonaws.com` },
      { 'x-amz-bucket-region': bucket.region },
    );
  }
  return handler(bucket, request, env);
}

/** Resolves a path-style S3 request to its operation. */
export function routeS3(request: S3Request, env: RouteEnv): Route {
  const [, bucketSegment = '', ...rest] = request.url.pathname.split('/');
  const bucket = decodeURIComponent(bucketSegment);
  if (!bucket) {
    if (request.method !== 'GET') return unsupported('s3:ServiceOperation');
    return { operation: 's3:ListBuckets', run: () => listBuckets(request, env) };
  }
  const params = request.url.searchParams;
  if (rest.some((segment) => segment !== '')) {
    const key = rest.map(decodeURIComponent).join('/');
    const objectEntry = OBJECT_ROUTES[`${request.method} ${params.has('retention') ? 'retention' : ''}`];
    if (!objectEntry) return unsupported('s3:ObjectOperation', bucket);
    const [operation, handler] = objectEntry;
    return {
      operation: `s3:${operation}`,
      bucket,
      run: () =>
        runOnBucket(bucket, operation, (found, req, env) => handler(found, key, req, env), request, env),
    };
  }
  const subresource = SUBRESOURCES.find((key) => params.has(key)) ?? '';
  if (request.method === 'PUT' && subresource === '') {
    return { operation: 's3:CreateBucket', bucket, run: () => createBucket(bucket, request, env) };
  }
  const entry = BUCKET_ROUTES[`${request.method} ${subresource}`];
  if (!entry) return unsupported('s3:BucketOperation', bucket);
  const [operation, handler] = entry;
  return {
    operation: `s3:${operation}`,
    bucket,
    run: () => runOnBucket(bucket, operation, handler, request, env),
  };
}

function unsupported(operation: string, bucket?: string): Route {
  return {
    operation,
    ...(bucket === undefined ? {} : { bucket }),
    run: () => {
      throw new AwsError(
        'NotImplemented',
        501,
        'A header or query you provided implies functionality that is not implemented',
      );
    },
  };
}
