import { createHash, randomBytes } from 'node:crypto';
import { AwsError } from './errors.js';
import type { EmulatedBucket, EmulatedObjectVersion, ObjectRetention } from './model.js';
import type { EmulatorResponse, RouteEnv } from './route.js';
import { escapeXml, tag, xmlDocument } from './xml.js';

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const MAX_KEYS = 1000;

/** What object operations read from a request. */
export interface ObjectRequest {
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  raw: Buffer;
}

function header(request: ObjectRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const MISSING_LOCK_CONFIG = () =>
  new AwsError('InvalidRequest', 400, 'Bucket is missing Object Lock Configuration');

function newVersionId(): string {
  return randomBytes(24).toString('base64url').slice(0, 32);
}

/** Decodes an `aws-chunked` body (the SDK's streaming upload with a checksum trailer). */
function decodeChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const end = raw.indexOf('\r\n', offset);
    if (end === -1) break;
    const size = Number.parseInt(raw.subarray(offset, end).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(raw.subarray(end + 2, end + 2 + size));
    offset = end + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function versionsOf(bucket: EmulatedBucket, key: string): EmulatedObjectVersion[] {
  return bucket.objects.get(key) ?? [];
}

function noSuchKey(key: string, extraHeaders: Record<string, string> = {}): AwsError {
  return new AwsError('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }, extraHeaders);
}

/** The version a request names (`versionId`), or the latest. */
function findVersion(bucket: EmulatedBucket, key: string, versionId: string | null): EmulatedObjectVersion {
  const versions = versionsOf(bucket, key);
  if (versionId !== null) {
    const version = versions.find((candidate) => candidate.versionId === versionId);
    if (!version) {
      throw new AwsError('NoSuchVersion', 404, 'The specified version does not exist.', {
        Key: key,
        VersionId: versionId,
      });
    }
    if (version.deleteMarker) {
      throw new AwsError(
        'MethodNotAllowed',
        405,
        'The specified method is not allowed against this resource.',
        { Method: 'GET', ResourceType: 'DeleteMarker' },
        { 'x-amz-delete-marker': 'true', 'x-amz-version-id': version.versionId },
      );
    }
    return version;
  }
  const latest = versions.at(-1);
  if (!latest) throw noSuchKey(key);
  if (latest.deleteMarker) {
    throw noSuchKey(key, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': latest.versionId });
  }
  return latest;
}

function isLocked(retention: ObjectRetention | undefined, now: Date): boolean {
  return retention !== undefined && retention.retainUntil.getTime() > now.getTime();
}

const LOCKED = () =>
  new AwsError('AccessDenied', 403, 'Access Denied because object protected by object lock.');

function readRetentionHeaders(request: ObjectRequest, bucket: EmulatedBucket, env: RouteEnv) {
  const mode = header(request, 'x-amz-object-lock-mode');
  const until = header(request, 'x-amz-object-lock-retain-until-date');
  if (mode === undefined && until === undefined) return undefined;
  if (!bucket.objectLock) throw MISSING_LOCK_CONFIG();
  if (mode === undefined || until === undefined) {
    throw new AwsError(
      'InvalidArgument',
      400,
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    );
  }
  return parseRetention(mode, until, env);
}

function parseRetention(mode: string, until: string, env: RouteEnv): ObjectRetention {
  if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE')
    throw new AwsError('InvalidArgument', 400, 'Unknown wormMode directive.');
  const retainUntil = new Date(until);
  if (Number.isNaN(retainUntil.getTime()))
    throw new AwsError('InvalidArgument', 400, 'The retain until date is not a valid date.');
  if (retainUntil.getTime() <= env.now().getTime())
    throw new AwsError('InvalidArgument', 400, 'The retain until date must be in the future!');
  return { mode, retainUntil };
}

function hasIntegrityHeader(request: ObjectRequest): boolean {
  if (header(request, 'content-md5')) return true;
  if (Object.keys(request.headers).some((name) => name.startsWith('x-amz-checksum-'))) return true;
  return (header(request, 'x-amz-trailer') ?? '').startsWith('x-amz-checksum-');
}

function retentionHeaders(version: EmulatedObjectVersion): Record<string, string> {
  if (!version.retention) return {};
  return {
    'x-amz-object-lock-mode': version.retention.mode,
    'x-amz-object-lock-retain-until-date': version.retention.retainUntil.toISOString(),
  };
}

/** PutObject: a new version on a versioned (Object Lock) bucket, else a replacement. */
export function putObject(bucket: EmulatedBucket, key: string, request: ObjectRequest, env: RouteEnv) {
  const retention = readRetentionHeaders(request, bucket, env);
  if (retention && !hasIntegrityHeader(request)) {
    throw new AwsError(
      'InvalidRequest',
      400,
      'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
    );
  }
  const encodings = (header(request, 'content-encoding') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const chunked = encodings.includes('aws-chunked');
  const body = chunked ? decodeChunked(request.raw) : request.raw;
  const contentEncoding = encodings.filter((part) => part !== 'aws-chunked').join(', ');
  const contentType = header(request, 'content-type');
  const version: EmulatedObjectVersion = {
    versionId: bucket.objectLock ? newVersionId() : 'null',
    lastModified: env.now(),
    deleteMarker: false,
    body,
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
    ...(contentType ? { contentType } : {}),
    ...(contentEncoding ? { contentEncoding } : {}),
    ...(retention ? { retention } : {}),
  };
  const versions = bucket.objectLock ? versionsOf(bucket, key) : [];
  bucket.objects.set(key, [...versions, version]);
  return {
    status: 200,
    headers: {
      etag: version.etag,
      ...(bucket.objectLock ? { 'x-amz-version-id': version.versionId } : {}),
    },
  };
}

/** GetObject and HeadObject. */
export function getObject(bucket: EmulatedBucket, key: string, request: ObjectRequest): EmulatorResponse {
  const version = findVersion(bucket, key, request.url.searchParams.get('versionId'));
  return {
    status: 200,
    body: version.body,
    headers: {
      etag: version.etag,
      'last-modified': version.lastModified.toUTCString(),
      'content-type': version.contentType ?? 'binary/octet-stream',
      ...(version.contentEncoding ? { 'content-encoding': version.contentEncoding } : {}),
      ...(bucket.objectLock ? { 'x-amz-version-id': version.versionId } : {}),
      ...retentionHeaders(version),
    },
  };
}

/** DeleteObject: a delete marker without `versionId`; removing a version needs its lock to have ended. */
export function deleteObject(bucket: EmulatedBucket, key: string, request: ObjectRequest, env: RouteEnv) {
  const versionId = request.url.searchParams.get('versionId');
  const versions = versionsOf(bucket, key);
  if (versionId === null) {
    if (!bucket.objectLock) {
      bucket.objects.delete(key);
      return { status: 204 };
    }
    const marker: EmulatedObjectVersion = {
      versionId: newVersionId(),
      lastModified: env.now(),
      deleteMarker: true,
      body: Buffer.alloc(0),
      etag: '',
    };
    bucket.objects.set(key, [...versions, marker]);
    return { status: 204, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId } };
  }
  const version = versions.find((candidate) => candidate.versionId === versionId);
  if (!version) return { status: 204, headers: { 'x-amz-version-id': versionId } };
  if (isLocked(version.retention, env.now())) {
    const bypass = header(request, 'x-amz-bypass-governance-retention') === 'true';
    if (version.retention!.mode === 'COMPLIANCE' || !bypass) throw LOCKED();
  }
  const rest = versions.filter((candidate) => candidate !== version);
  if (rest.length > 0) bucket.objects.set(key, rest);
  else bucket.objects.delete(key);
  return {
    status: 204,
    headers: {
      'x-amz-version-id': versionId,
      ...(version.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
    },
  };
}

/** PutObjectRetention: may lengthen a lock; shortening or removing it is refused while it holds. */
export function putObjectRetention(
  bucket: EmulatedBucket,
  key: string,
  request: ObjectRequest,
  env: RouteEnv,
): EmulatorResponse {
  if (!bucket.objectLock) throw MISSING_LOCK_CONFIG();
  const version = findVersion(bucket, key, request.url.searchParams.get('versionId'));
  const mode = /<Mode>\s*([A-Z]+)\s*<\/Mode>/.exec(request.body)?.[1];
  const until = /<RetainUntilDate>\s*([^<]+?)\s*<\/RetainUntilDate>/.exec(request.body)?.[1];
  if (!mode || !until) {
    throw new AwsError(
      'MalformedXML',
      400,
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  }
  const next = parseRetention(mode, until, env);
  const current = version.retention;
  if (current && isLocked(current, env.now())) {
    const weaker = next.retainUntil < current.retainUntil || next.mode !== current.mode;
    const bypass = header(request, 'x-amz-bypass-governance-retention') === 'true';
    if (weaker && (current.mode === 'COMPLIANCE' || !bypass)) throw LOCKED();
  }
  version.retention = next;
  return { status: 200 };
}

/** GetObjectRetention. */
export function getObjectRetention(bucket: EmulatedBucket, key: string, request: ObjectRequest) {
  if (!bucket.objectLock) throw MISSING_LOCK_CONFIG();
  const version = findVersion(bucket, key, request.url.searchParams.get('versionId'));
  if (!version.retention) {
    throw new AwsError(
      'NoSuchObjectLockConfiguration',
      404,
      'The specified object does not have a ObjectLock configuration',
    );
  }
  return {
    status: 200,
    body: xmlDocument(
      `<Retention xmlns="${S3_NS}">${tag('Mode', version.retention.mode)}` +
        `<RetainUntilDate>${version.retention.retainUntil.toISOString()}</RetainUntilDate></Retention>`,
    ),
  };
}

/** GetObjectLockConfiguration. */
export function getObjectLockConfiguration(bucket: EmulatedBucket): EmulatorResponse {
  if (!bucket.objectLock) {
    throw new AwsError(
      'ObjectLockConfigurationNotFoundError',
      404,
      'Object Lock configuration does not exist for this bucket',
      { BucketName: bucket.name },
    );
  }
  return {
    status: 200,
    body: xmlDocument(
      `<ObjectLockConfiguration xmlns="${S3_NS}"><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>`,
    ),
  };
}

function maxKeys(params: URLSearchParams): number {
  const value = params.get('max-keys');
  const parsed = value === null ? MAX_KEYS : Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new AwsError('InvalidArgument', 400, 'Provided max-keys not an integer or within integer range');
  return Math.min(parsed, MAX_KEYS);
}

function sortedKeys(bucket: EmulatedBucket, prefix: string): string[] {
  return [...bucket.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
}

/** ListObjectsV2 (keys whose latest version is not a delete marker). */
export function listObjectsV2(bucket: EmulatedBucket, request: ObjectRequest): EmulatorResponse {
  const params = request.url.searchParams;
  const prefix = params.get('prefix') ?? '';
  const limit = maxKeys(params);
  const token = params.get('continuation-token');
  const after = token ? Buffer.from(token, 'base64url').toString('utf8') : (params.get('start-after') ?? '');
  const keys = sortedKeys(bucket, prefix).filter(
    (key) => key > after && !versionsOf(bucket, key).at(-1)!.deleteMarker,
  );
  const page = keys.slice(0, limit);
  const truncated = keys.length > page.length;
  const contents = page
    .map((key) => {
      const latest = versionsOf(bucket, key).at(-1)!;
      return (
        `<Contents>${tag('Key', key)}<LastModified>${latest.lastModified.toISOString()}</LastModified>` +
        `${tag('ETag', latest.etag)}${tag('Size', latest.body.length)}<StorageClass>STANDARD</StorageClass></Contents>`
      );
    })
    .join('');
  const next = truncated ? Buffer.from(page.at(-1)!).toString('base64url') : undefined;
  return {
    status: 200,
    body: xmlDocument(
      `<ListBucketResult xmlns="${S3_NS}">${tag('Name', bucket.name)}<Prefix>${escapeXml(prefix)}</Prefix>` +
        `${tag('KeyCount', page.length)}${tag('MaxKeys', limit)}${tag('IsTruncated', truncated)}${contents}` +
        `${tag('ContinuationToken', token ?? undefined)}${tag('NextContinuationToken', next)}` +
        `${params.has('start-after') ? tag('StartAfter', params.get('start-after')!) : ''}</ListBucketResult>`,
    ),
  };
}

/** ListObjectVersions: keys in order, each key's versions newest first, delete markers included. */
export function listObjectVersions(
  bucket: EmulatedBucket,
  request: ObjectRequest,
  owner: string,
): EmulatorResponse {
  const params = request.url.searchParams;
  const prefix = params.get('prefix') ?? '';
  const limit = maxKeys(params);
  const keyMarker = params.get('key-marker') ?? '';
  const versionMarker = params.get('version-id-marker');
  const entries: { key: string; version: EmulatedObjectVersion; latest: boolean }[] = [];
  for (const key of sortedKeys(bucket, prefix)) {
    if (key < keyMarker) continue;
    const versions = [...versionsOf(bucket, key)].reverse();
    let skipping = key === keyMarker;
    for (const [index, version] of versions.entries()) {
      if (skipping) {
        if (versionMarker && version.versionId === versionMarker) skipping = false;
        continue;
      }
      entries.push({ key, version, latest: index === 0 });
    }
  }
  const page = entries.slice(0, limit);
  const truncated = entries.length > page.length;
  const body = page
    .map(({ key, version, latest }) => {
      const common =
        `${tag('Key', key)}${tag('VersionId', version.versionId)}${tag('IsLatest', latest)}` +
        `<LastModified>${version.lastModified.toISOString()}</LastModified>`;
      const ownerXml = `<Owner>${tag('ID', owner)}</Owner>`;
      return version.deleteMarker
        ? `<DeleteMarker>${common}${ownerXml}</DeleteMarker>`
        : `<Version>${common}${tag('ETag', version.etag)}${tag('Size', version.body.length)}` +
            `<StorageClass>STANDARD</StorageClass>${ownerXml}</Version>`;
    })
    .join('');
  const last = page.at(-1);
  return {
    status: 200,
    body: xmlDocument(
      `<ListVersionsResult xmlns="${S3_NS}">${tag('Name', bucket.name)}<Prefix>${escapeXml(prefix)}</Prefix>` +
        `<KeyMarker>${escapeXml(keyMarker)}</KeyMarker><VersionIdMarker>${escapeXml(versionMarker ?? '')}</VersionIdMarker>` +
        `${tag('MaxKeys', limit)}${tag('IsTruncated', truncated)}${body}` +
        `${truncated && last ? tag('NextKeyMarker', last.key) + tag('NextVersionIdMarker', last.version.versionId) : ''}` +
        `</ListVersionsResult>`,
    ),
  };
}
