import { describe, expect, it } from 'vitest';
import { shellConfigSchema } from '../src/config.js';

function errorsOf(input: unknown): string[] {
  const result = shellConfigSchema.safeParse(input);
  if (result.success) throw new Error('the config was accepted');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const script = { description: 'x', command: './x.sh' };

describe('shellConfigSchema', () => {
  it('fills in safe defaults', () => {
    const config = shellConfigSchema.parse({ scripts: { x: script } });
    expect(config.scripts['x']).toMatchObject({
      effect: 'write',
      timeout: 30_000,
      maxOutput: 1024 * 1024,
      concurrency: 1,
      expose: false,
      passAfterDoubleDash: false,
      env: {},
      passEnv: [],
    });
    expect(config).toMatchObject({
      killGrace: 5000,
      progress: { after: 3000, every: 5000 },
    });
  });

  it('points a cancelRoles setting at the permission that replaced it', () => {
    expect(errorsOf({ cancelRoles: ['admin'] })).toEqual([
      'cancelRoles: moved to the auth rules: grant shell.cancel-others.<script> instead, e.g. { allow: "shell.cancel-others.*", roles: [admin] }',
    ]);
  });

  it('names the key that is wrong', () => {
    expect(errorsOf({ scripts: { x: { ...script, timeout: 'soon' } } })).toEqual([
      'scripts.x.timeout: "soon" is not a duration (try 500ms, 30s, 5m, 1h, 7d)',
    ]);
    expect(errorsOf({ scripts: { 'Bad Name': script } })[0]).toMatch(/^scripts\.Bad Name: /);
    expect(errorsOf({ scripts: { x: { ...script, shell: true } } })[0]).toMatch(
      /^scripts\.x: Unrecognized key: "shell"/,
    );
  });

  it('wants exactly one check per parameter, and a valid pattern', () => {
    expect(errorsOf({ scripts: { x: { ...script, params: [{ name: 'host' }] } } })).toEqual([
      'scripts.x.params.0: declare exactly one of pattern, enum or number',
    ]);
    expect(errorsOf({ scripts: { x: { ...script, params: [{ name: 'host', pattern: '[a-z' }] } } })).toEqual([
      'scripts.x.params.0.pattern: not a valid regular expression',
    ]);
  });

  it('wants required parameters before optional ones, with unique names', () => {
    const params = [
      { name: 'a', enum: ['x'], required: false },
      { name: 'a', enum: ['x'] },
    ];
    expect(errorsOf({ scripts: { x: { ...script, params } } })).toEqual([
      'scripts.x.params: required params must come before optional ones',
      'scripts.x.params: param names must be unique',
    ]);
  });

  it('keeps CHATOPS_* variables and reserved command names for itself', () => {
    expect(errorsOf({ scripts: { x: { ...script, env: { CHATOPS_USER: 'root' } } } })).toEqual([
      'scripts.x.env: CHATOPS_USER: CHATOPS_* variables are set by the plugin',
    ]);
    expect(errorsOf({ scripts: { run: { ...script, expose: true } } })).toEqual([
      'scripts.run.expose: "run" is a reserved command',
    ]);
  });
});
