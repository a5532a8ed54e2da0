import { isDeepStrictEqual } from 'node:util';
import { CheckFailure } from './check-failure.js';
import type { Expectation } from './types.js';

const EXCERPT_LENGTH = 80;

/** Checks a response against what the target expects; returns the failure, or undefined when it passes. */
export function checkExpectation(
  expect: Expectation,
  response: { statusCode: number; body: string; bodyTruncated: boolean },
): CheckFailure | undefined {
  const { statusCode, body } = response;
  const statusOk = expect.status ? expect.status.includes(statusCode) : statusCode >= 200 && statusCode < 400;
  if (!statusOk) {
    return new CheckFailure(
      'status',
      `unexpected status ${statusCode} (expected ${describeStatuses(expect)})`,
    );
  }
  const cut = response.bodyTruncated ? ' (only the first 1 MiB was read)' : '';
  if (expect.body !== undefined && !body.includes(expect.body)) {
    return new CheckFailure(
      'body',
      `body mismatch: "${excerpt(expect.body)}" not found in the response${cut}`,
    );
  }
  if (expect.json) return checkJsonField(expect.json, body, cut);
  return undefined;
}

function checkJsonField(json: { path: string; equals: unknown }, body: string, cut: string) {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return new CheckFailure('body', `body mismatch: the response is not JSON${cut}`);
  }
  const found = readPath(document, json.path);
  if (!found.present) return new CheckFailure('body', `body mismatch: ${json.path} is missing`);
  if (isDeepStrictEqual(found.value, json.equals)) return undefined;
  return new CheckFailure(
    'body',
    `body mismatch: ${json.path} is ${excerpt(JSON.stringify(found.value) ?? 'undefined')}, ` +
      `expected ${excerpt(JSON.stringify(json.equals))}`,
  );
}

/** Reads `a.b.0.c` or `a.b[0].c` from a parsed JSON document. */
export function readPath(document: unknown, path: string): { present: boolean; value?: unknown } {
  const keys = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  let value: unknown = document;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return { present: false };
    value = (value as Record<string, unknown>)[key];
  }
  return { present: true, value };
}

function describeStatuses(expect: Expectation): string {
  if (!expect.status) return '200-399';
  const codes = expect.status.map(String);
  return codes.length > 1 ? `${codes.slice(0, -1).join(', ')} or ${codes.at(-1)}` : (codes[0] ?? '');
}

function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > EXCERPT_LENGTH ? `${oneLine.slice(0, EXCERPT_LENGTH)}…` : oneLine;
}
