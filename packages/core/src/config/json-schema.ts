import { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * The JSON Schema (draft 2020-12) of the configuration file as written (defaults optional),
 * for editors: `chatops schema > chatops.schema.json`.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' });
  return {
    $schema: schema.$schema,
    $id: 'urn:chatops:config',
    title: 'ChatOps robot configuration',
    ...schema,
  };
}
