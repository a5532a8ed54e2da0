import type { IncomingMessage } from 'node:http';

/** Fields whose values the Web API receives as JSON strings in form bodies. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'files', 'metadata', 'users']);

/** A parsed request body. */
export interface ParsedBody {
  contentType: string;
  raw: Buffer;
  /** Form fields, JSON object members, or multipart text parts. */
  fields: Record<string, unknown>;
  /** Multipart file parts by field name. */
  files: Record<string, Buffer>;
}

/** Reads the whole body of a request. */
export async function readBody(request: IncomingMessage, limitBytes = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses form, JSON and multipart bodies as `@slack/web-api` and response_url callers send them. */
export async function parseBody(raw: Buffer, contentTypeHeader: string | undefined): Promise<ParsedBody> {
  const contentType = (contentTypeHeader ?? '').split(';')[0]!.trim().toLowerCase();
  const parsed: ParsedBody = { contentType, raw, fields: {}, files: {} };
  if (raw.length === 0) return parsed;
  if (contentType === 'application/json') {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      parsed.fields = value as Record<string, unknown>;
    }
    return parsed;
  }
  if (contentType === 'multipart/form-data') {
    const form = await new Request('http://emulator.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentTypeHeader ?? '' },
      body: raw,
    }).formData();
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') parsed.fields[key] = decodeField(key, value);
      else parsed.files[key] = Buffer.from(await value.arrayBuffer());
    }
    return parsed;
  }
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
    parsed.fields[key] = decodeField(key, value);
  }
  return parsed;
}

function decodeField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
