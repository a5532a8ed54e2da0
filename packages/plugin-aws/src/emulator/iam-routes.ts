import { credentialReportCsv } from './credential-report.js';
import { AwsError } from './errors.js';
import type { EmulatedUser } from './model.js';
import { IAM_NS, queryResponse } from './query-response.js';
import type { Route, RouteEnv } from './route.js';
import { tag } from './xml.js';

/** Reports younger than this are returned as they are instead of being regenerated. */
const REPORT_REUSE_MS = 4 * 3_600_000;

type IamHandler = (params: URLSearchParams, env: RouteEnv) => string;

function validation(member: string): AwsError {
  return new AwsError(
    'ValidationError',
    400,
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );
}

function requireUser(params: URLSearchParams, env: RouteEnv): EmulatedUser {
  const name = params.get('UserName');
  if (!name) throw validation('userName');
  const user = env.account.user(name);
  if (!user) throw new AwsError('NoSuchEntity', 404, `The user with name ${name} cannot be found.`);
  return user;
}

function userXml(user: EmulatedUser, withTags = false): string {
  const tags = withTags && Object.keys(user.tags).length ? `<Tags>${tagMembers(user.tags)}</Tags>` : '';
  return (
    `${tag('Path', user.path)}${tag('UserName', user.name)}${tag('UserId', user.id)}${tag('Arn', user.arn)}` +
    `${tag('CreateDate', user.createdAt)}${tag('PasswordLastUsed', user.password?.lastUsedAt)}${tags}`
  );
}

function tagMembers(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([key, value]) => `<member>${tag('Key', key)}${tag('Value', value)}</member>`)
    .join('');
}

/** `Marker`/`MaxItems` paging over a list; the marker is the next index, opaque to clients. */
function page<T>(items: T[], params: URLSearchParams): { items: T[]; next?: string } {
  const maxItems = params.has('MaxItems') ? Number(params.get('MaxItems')) : 100;
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
    throw new AwsError(
      'ValidationError',
      400,
      `1 validation error detected: Value '${params.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const marker = params.get('Marker');
  const start = marker ? Number(Buffer.from(marker, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError('ValidationError', 400, 'Invalid Marker.');
  const slice = items.slice(start, start + maxItems);
  const end = start + slice.length;
  return end < items.length
    ? { items: slice, next: Buffer.from(String(end)).toString('base64url') }
    : { items: slice };
}

function truncation(next: string | undefined): string {
  return `${tag('IsTruncated', next !== undefined)}${tag('Marker', next)}`;
}

const listUsers: IamHandler = (params, env) => {
  const prefix = params.get('PathPrefix') ?? '/';
  const { items, next } = page(
    env.account.users().filter((user) => user.path.startsWith(prefix)),
    params,
  );
  return `<Users>${items.map((user) => `<member>${userXml(user)}</member>`).join('')}</Users>${truncation(next)}`;
};

const getUser: IamHandler = (params, env) => `<User>${userXml(requireUser(params, env), true)}</User>`;

const listMfaDevices: IamHandler = (params, env) => {
  const user = requireUser(params, env);
  const devices = user.mfaDevices
    .map(
      (device) =>
        `<member>${tag('UserName', user.name)}${tag('SerialNumber', device.serialNumber)}${tag('EnableDate', device.enabledAt)}</member>`,
    )
    .join('');
  return `${devices ? `<MFADevices>${devices}</MFADevices>` : '<MFADevices/>'}${tag('IsTruncated', false)}`;
};

const getLoginProfile: IamHandler = (params, env) => {
  const user = requireUser(params, env);
  if (!user.password)
    throw new AwsError('NoSuchEntity', 404, `Login Profile for User ${user.name} cannot be found.`);
  return (
    `<LoginProfile>${tag('UserName', user.name)}${tag('CreateDate', user.password.createdAt)}` +
    `${tag('PasswordResetRequired', user.password.resetRequired)}</LoginProfile>`
  );
};

const listUserTags: IamHandler = (params, env) => {
  const user = requireUser(params, env);
  return `<Tags>${tagMembers(user.tags)}</Tags>${tag('IsTruncated', false)}`;
};

const listAccessKeys: IamHandler = (params, env) => {
  const user = requireUser(params, env);
  const keys = user.accessKeys
    .map(
      (key) =>
        `<member>${tag('UserName', user.name)}${tag('AccessKeyId', key.id)}` +
        `${tag('Status', key.active ? 'Active' : 'Inactive')}${tag('CreateDate', key.createdAt)}</member>`,
    )
    .join('');
  return `<AccessKeyMetadata>${keys}</AccessKeyMetadata>${tag('IsTruncated', false)}`;
};

const generateCredentialReport: IamHandler = (_params, env) => {
  const account = env.account;
  const now = env.now();
  const existing = account.credentialReport;
  const fresh = existing && now.getTime() - existing.generatedAt.getTime() < REPORT_REUSE_MS;
  if (existing && fresh) {
    if (existing.pollsLeft > 0) {
      existing.pollsLeft -= 1;
      return `${tag('State', 'INPROGRESS')}${tag('Description', 'Report generation in progress')}`;
    }
    return `${tag('State', 'COMPLETE')}`;
  }
  account.credentialReport = {
    generatedAt: now,
    csv: credentialReportCsv(account, now),
    pollsLeft: Math.max(0, env.credentialReportPolls - 1),
  };
  return `${tag('State', 'STARTED')}${tag('Description', 'No report exists. Starting a new report generation task')}`;
};

const getCredentialReport: IamHandler = (_params, env) => {
  const report = env.account.credentialReport;
  if (!report) {
    throw new AwsError(
      'ReportNotPresent',
      410,
      'Credential report not present. Use GenerateCredentialReport to generate a report.',
    );
  }
  if (env.now().getTime() - report.generatedAt.getTime() >= REPORT_REUSE_MS) {
    throw new AwsError(
      'ReportExpired',
      410,
      'Credential report expired. Use GenerateCredentialReport to generate a new report.',
    );
  }
  if (report.pollsLeft > 0)
    throw new AwsError('ReportInProgress', 404, 'Credential report is being generated.');
  return (
    `${tag('Content', Buffer.from(report.csv).toString('base64'))}${tag('ReportFormat', 'text/csv')}` +
    `${tag('GeneratedTime', report.generatedAt)}`
  );
};

const IAM_ACTIONS: Record<string, IamHandler> = {
  ListUsers: listUsers,
  GetUser: getUser,
  ListMFADevices: listMfaDevices,
  GetLoginProfile: getLoginProfile,
  ListUserTags: listUserTags,
  ListAccessKeys: listAccessKeys,
  GenerateCredentialReport: generateCredentialReport,
  GetCredentialReport: getCredentialReport,
};

/** Resolves an IAM Query request (`Action=…`) to its operation. */
export function routeIam(params: URLSearchParams, env: RouteEnv): Route {
  const action = params.get('Action') ?? '';
  const handler = IAM_ACTIONS[action];
  const user = params.get('UserName') ?? undefined;
  return {
    operation: `iam:${action || 'Unknown'}`,
    ...(user === undefined ? {} : { user }),
    run: (requestId) => {
      if (!handler) {
        throw new AwsError(
          'InvalidAction',
          400,
          `Could not find operation ${action} for version ${params.get('Version') ?? ''}`,
        );
      }
      return queryResponse(action, IAM_NS, handler(params, env), requestId);
    },
  };
}
