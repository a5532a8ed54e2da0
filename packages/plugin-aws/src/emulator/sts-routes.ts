import { AwsError } from './errors.js';
import { queryResponse, STS_NS } from './query-response.js';
import type { Route, RouteEnv } from './route.js';
import { tag } from './xml.js';

function getCallerIdentity(env: RouteEnv): string {
  return `${tag('Arn', env.caller.arn)}${tag('UserId', env.caller.userId)}${tag('Account', env.caller.accountId)}`;
}

function assumeRole(params: URLSearchParams, env: RouteEnv): string {
  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  if (!sessionName) {
    throw new AwsError(
      'ValidationError',
      400,
      "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
    );
  }
  const match = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!match) throw new AwsError('ValidationError', 400, `${roleArn} is invalid`);
  const denied = new AwsError(
    'AccessDenied',
    403,
    `User: ${env.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
  );
  const role = env.findAccount(match[1]!)?.role(match[2]!);
  if (!role) throw denied;
  if (role.externalId !== undefined && role.externalId !== params.get('ExternalId')) throw denied;
  const duration = params.has('DurationSeconds') ? Number(params.get('DurationSeconds')) : 3600;
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
    throw new AwsError('ValidationError', 400, 'The requested DurationSeconds exceeds the allowed range');
  }
  const expiresAt = new Date(env.now().getTime() + duration * 1000);
  const arn = `arn:aws:sts::${match[1]}:assumed-role/${role.name}/${sessionName}`;
  const userId = `${role.id}:${sessionName}`;
  const keys = env.issueSessionCredentials(match[1]!, arn, userId, expiresAt);
  return (
    `<Credentials>${tag('AccessKeyId', keys.accessKeyId)}${tag('SecretAccessKey', keys.secretAccessKey)}` +
    `${tag('SessionToken', keys.sessionToken)}${tag('Expiration', expiresAt)}</Credentials>` +
    `<AssumedRoleUser>${tag('AssumedRoleId', userId)}${tag('Arn', arn)}</AssumedRoleUser>`
  );
}

/** Resolves an STS Query request to its operation. */
export function routeSts(params: URLSearchParams, env: RouteEnv): Route {
  const action = params.get('Action') ?? '';
  return {
    operation: `sts:${action || 'Unknown'}`,
    run: (requestId) => {
      if (action === 'GetCallerIdentity')
        return queryResponse(action, STS_NS, getCallerIdentity(env), requestId);
      if (action === 'AssumeRole') return queryResponse(action, STS_NS, assumeRole(params, env), requestId);
      throw new AwsError(
        'InvalidAction',
        400,
        `Could not find operation ${action} for version ${params.get('Version') ?? ''}`,
      );
    },
  };
}
