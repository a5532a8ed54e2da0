import type { EmulatedAccount } from './account.js';
import type { EmulatedUser } from './model.js';

/** The credential report's 22 columns, in AWS's order. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** The report writes dates as ISO-8601 with a `+00:00` offset. */
function reportDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function keyColumns(user: EmulatedUser, index: number): string[] {
  const key = user.accessKeys[index];
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const used = key.lastUsedAt;
  return [
    String(key.active),
    reportDate(key.createdAt),
    used ? reportDate(used) : 'N/A',
    used ? 'us-east-1' : 'N/A',
    used ? 's3' : 'N/A',
  ];
}

function userRow(user: EmulatedUser): string[] {
  const password = user.password;
  return [
    user.name,
    user.arn,
    reportDate(user.createdAt),
    String(Boolean(password)),
    password ? (password.lastUsedAt ? reportDate(password.lastUsedAt) : 'no_information') : 'N/A',
    password ? reportDate(password.createdAt) : 'N/A',
    'N/A',
    String(user.mfaDevices.length > 0),
    ...keyColumns(user, 0),
    ...keyColumns(user, 1),
    'false',
    'N/A',
    'false',
    'N/A',
  ];
}

/** The CSV text of a credential report for the account as it is now (root row first). */
export function credentialReportCsv(account: EmulatedAccount, generatedAt: Date): string {
  const root = [
    '<root_account>',
    `arn:aws:iam::${account.id}:root`,
    reportDate(new Date(generatedAt.getTime() - 365 * 86_400_000)),
    'not_supported',
    'no_information',
    'not_supported',
    'not_supported',
    String(account.rootMfa),
    'false',
    'N/A',
    'N/A',
    'N/A',
    'N/A',
    'false',
    'N/A',
    'N/A',
    'N/A',
    'N/A',
    'false',
    'N/A',
    'false',
    'N/A',
  ];
  const rows = [CREDENTIAL_REPORT_COLUMNS as readonly string[], root, ...account.users().map(userRow)];
  return rows.map((row) => row.map(csvField).join(',')).join('\n');
}
