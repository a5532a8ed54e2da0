/** OpenSSL/Node verification codes in words; anything else falls back to the code itself. */
const CERTIFICATE_PROBLEMS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'certificate expired',
  CERT_NOT_YET_VALID: 'certificate not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain (untrusted root CA)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate issuer not trusted (unknown CA or incomplete chain)',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate issuer not trusted (unknown CA or incomplete chain)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer not trusted (unknown CA or incomplete chain)',
  CERT_REVOKED: 'certificate revoked',
  CERT_SIGNATURE_FAILURE: 'certificate signature invalid',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_REJECTED: 'certificate rejected',
  INVALID_PURPOSE: 'certificate not valid for a server',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
};

/** Describes a TLS error, or returns undefined when `code` is not about TLS. */
export function describeTlsError(code: string, host: string): string | undefined {
  const problem = CERTIFICATE_PROBLEMS[code];
  if (problem === 'certificate does not match the host name') return `certificate does not match ${host}`;
  if (problem) return problem;
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return 'handshake failed: the server does not speak TLS on this port';
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return `handshake failed (${code
      .replace(/^ERR_(SSL|TLS)_/, '')
      .toLowerCase()
      .replaceAll('_', ' ')})`;
  }
  if (/^(CERT_|UNABLE_TO_|.*_CERT$|.*_CERT_)/.test(code)) return `certificate rejected (${code})`;
  return undefined;
}
