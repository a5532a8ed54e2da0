import { escapeXml, tag, xmlDocument } from './xml.js';

/** An AWS error answer: wire code, HTTP status, message and extra S3 error elements. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The bare `<Error>` document S3 and S3 Control send. */
export function s3ErrorXml(error: AwsError, requestId: string, resource: string): string {
  const extra = Object.entries(error.extra)
    .map(([name, value]) => tag(name, value))
    .join('');
  return xmlDocument(
    `<Error>${tag('Code', error.code)}${tag('Message', error.message)}${extra}${tag('Resource', resource)}` +
      `${tag('RequestId', requestId)}${tag('HostId', hostId(requestId))}</Error>`,
  );
}

/** The `<ErrorResponse>` document of the Query protocol (IAM, STS). */
export function queryErrorXml(error: AwsError, requestId: string, namespace: string): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return xmlDocument(
    `<ErrorResponse xmlns="${escapeXml(namespace)}"><Error>${tag('Type', type)}${tag('Code', error.code)}` +
      `${tag('Message', error.message)}</Error>${tag('RequestId', requestId)}</ErrorResponse>`,
  );
}

/** A stand-in for S3's `x-amz-id-2`. */
export function hostId(requestId: string): string {
  return Buffer.from(`host-${requestId}`).toString('base64');
}
