import type { IncomingMessage } from 'node:http';

/** The access key, region and service of a SigV4 `Authorization` header (the signature is not checked). */
export interface CredentialScope {
  accessKeyId: string;
  region: string;
  service: string;
}

export function credentialScope(authorization: string | undefined): CredentialScope | undefined {
  const match = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  if (!match) return undefined;
  return { accessKeyId: match[1]!, region: match[2]!, service: match[3]! };
}

/** Reads the whole request body. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Which AWS protocol a request speaks on the shared endpoint. */
export type Protocol = 's3' | 's3control' | 'iam' | 'sts';

export function protocolOf(
  method: string,
  path: string,
  contentType: string,
  body: string,
  scope?: CredentialScope,
): Protocol {
  if (path.startsWith('/v20180820/')) return 's3control';
  if (method === 'POST' && path === '/' && contentType.startsWith('application/x-www-form-urlencoded')) {
    if (scope?.service === 'sts' || new URLSearchParams(body).get('Version') === '2011-06-15') return 'sts';
    return 'iam';
  }
  return 's3';
}
