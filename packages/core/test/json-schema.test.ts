import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configJsonSchema } from '../src/config/json-schema.js';

describe('configJsonSchema', () => {
  const schema = configJsonSchema() as {
    $schema: string;
    $id: string;
    title: string;
    type: string;
    required?: string[];
    properties: Record<string, { type?: string; properties?: Record<string, unknown> }>;
  };

  it('is a draft 2020-12 schema with an id and title', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('urn:chatops:config');
    expect(schema.title).toBe('ChatOps robot configuration');
    expect(schema.type).toBe('object');
  });

  it('describes the input: keys with defaults are optional', () => {
    expect(schema.required ?? []).toEqual([]);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['name', 'adapter', 'store', 'audit', 'auth']),
    );
    expect(schema.properties['audit']?.properties).toHaveProperty(
      'fsync',
      expect.objectContaining({ anyOf: expect.arrayContaining([{ type: 'boolean' }]) }),
    );
  });

  it('lets numbers, booleans and enums be written as environment placeholders', () => {
    const http = schema.properties['http']?.properties as Record<string, { anyOf?: unknown[] }>;
    const port = http['port'];
    expect(port?.anyOf).toEqual([
      { type: 'integer', minimum: 0, maximum: 65535 },
      { type: 'string', pattern: expect.stringContaining('\\$\\{') },
    ]);
  });

  it('describes blocks that adapters and plugins contribute', () => {
    const described = configJsonSchema({
      adapters: { chat: z.strictObject({ token: z.string() }) },
      plugins: { './my-plugin': z.object({ limit: z.number() }) },
    }) as typeof schema;
    expect(described.properties['chat']?.properties).toHaveProperty('token');
    const plugins = described.properties['plugins'] as {
      properties: Record<string, { properties: unknown }>;
    };
    expect(plugins.properties['./my-plugin']?.properties).toHaveProperty('limit');
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
