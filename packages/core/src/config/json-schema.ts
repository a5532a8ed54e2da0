import { type ZodType, z } from 'zod';
import { configSchema } from './schema.js';

/** Config schemas that adapters and plugins contribute to {@link configJsonSchema}. */
export interface SchemaContributions {
  /** Each adapter's block, by adapter name (`slack` describes the `slack:` block). */
  adapters?: Record<string, ZodType>;
  /** Each plugin's block under `plugins:`, by the name used there (package name or path). */
  plugins?: Record<string, ZodType>;
  /** Top-level blocks a package loaded by name validates (`hubot:`, by `@chatops/hubot-compat`). */
  blocks?: Record<string, ZodType>;
}

/**
 * The JSON Schema (draft 2020-12) of the configuration file as written (defaults optional),
 * for editors: `chatops schema > chatops.schema.json`. Blocks of adapters and plugins are described
 * when their schemas are given; other plugins' blocks stay open.
 */
export function configJsonSchema(contributions: SchemaContributions = {}): Record<string, unknown> {
  const adapters = Object.fromEntries(
    Object.entries(contributions.adapters ?? {}).map(([name, schema]) => [name, schema.optional()]),
  );
  const plugins = Object.fromEntries(
    Object.entries(contributions.plugins ?? {}).map(([name, schema]) => [name, schema.optional()]),
  );
  const blocks = Object.fromEntries(
    Object.entries(contributions.blocks ?? {}).map(([name, schema]) => [name, schema.optional()]),
  );
  const described = configSchema.extend({
    ...adapters,
    ...blocks,
    plugins: z.object(plugins).catchall(z.unknown()).default({}),
  });
  const schema = allowPlaceholders(
    z.toJSONSchema(described, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }),
  ) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'urn:chatops:config',
    title: 'ChatOps robot configuration',
    ...schema,
  };
}

/** A `${VAR}` placeholder, filled from the environment when the config is loaded. */
const PLACEHOLDER = { type: 'string', pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}' };
const LEAF_KEYWORDS = ['enum', 'const', 'pattern', 'format', 'minimum', 'maximum', 'minLength'];
/** Keywords whose value maps names to schemas, and keywords whose value is data, not a schema. */
const MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'required']);

/**
 * Lets every constrained scalar (a number, a boolean, an enum, a URL, a pattern) also be written as a
 * `${VAR}` placeholder, as config files do (`port: "${PORT:-8080}"`), so editors do not flag them.
 */
function allowPlaceholders(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowPlaceholders);
  if (node === null || typeof node !== 'object') return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYWORDS.has(key)) result[key] = value;
    else if (MAP_KEYWORDS.has(key)) {
      const map = Object.entries(value as Record<string, unknown>);
      result[key] = Object.fromEntries(map.map(([name, schema]) => [name, allowPlaceholders(schema)]));
    } else result[key] = allowPlaceholders(value);
  }
  const scalar = ['integer', 'number', 'boolean', 'string'].includes(result['type'] as string);
  const constrained = result['type'] !== 'string' || LEAF_KEYWORDS.some((key) => key in result);
  if ((scalar && constrained) || (!('type' in result) && ('enum' in result || 'const' in result))) {
    const { default: fallback, description, ...rest } = result;
    return {
      ...(description === undefined ? {} : { description }),
      ...(fallback === undefined ? {} : { default: fallback }),
      anyOf: [rest, PLACEHOLDER],
    };
  }
  return result;
}
