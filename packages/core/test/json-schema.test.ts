import { describe, expect, it } from 'vitest';
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
      expect.objectContaining({ type: 'boolean' }),
    );
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
