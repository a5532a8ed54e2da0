interface PolicyStatement {
  Effect?: string;
  Principal?: unknown;
  Condition?: Record<string, unknown>;
}

function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object') {
    return Object.values(principal).some((value) =>
      Array.isArray(value) ? value.includes('*') : value === '*',
    );
  }
  return false;
}

/**
 * A simplified stand-in for S3's own policy evaluation behind GetBucketPolicyStatus: an `Allow` statement
 * for everyone (`"*"`, `{"AWS":"*"}`) without a `Condition` makes the policy public. Unparseable text is
 * treated as public, as S3 "begins by assuming that the policy is public".
 */
export function isPolicyPublic(policyText: string): boolean {
  let document: { Statement?: PolicyStatement | PolicyStatement[] };
  try {
    document = JSON.parse(policyText);
  } catch {
    return true;
  }
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement ?? {}];
  return statements.some(
    (statement) =>
      statement.Effect === 'Allow' &&
      isEveryone(statement.Principal) &&
      (!statement.Condition || Object.keys(statement.Condition).length === 0),
  );
}
