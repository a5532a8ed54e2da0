import type { EmulatorResponse } from './route.js';
import { escapeXml, xmlDocument } from './xml.js';

export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** The `<{Op}Response><{Op}Result>…` envelope of the Query protocol. */
export function queryResponse(
  operation: string,
  namespace: string,
  result: string,
  requestId: string,
): EmulatorResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: xmlDocument(
      `<${operation}Response xmlns="${namespace}"><${operation}Result>${result}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operation}Response>`,
    ),
  };
}
