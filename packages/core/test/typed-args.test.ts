import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Args, CommandArgs, NoOptions, PositionalArgs } from '../src/index.js';
import { definePlugin } from '../src/index.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';

// The expectTypeOf checks are compiled by `tsc -p tsconfig.test.json` (part of `pnpm test`); the
// runtime checks show the parser hands the handler exactly what the types say.

describe('typed command arguments', () => {
  it('reads positionals from the args string', () => {
    expectTypeOf<PositionalArgs<'<env>'>>().toEqualTypeOf<{ env: string }>();
    expectTypeOf<CommandArgs<'<env> [count:number] [rest...]', NoOptions>>().toEqualTypeOf<{
      readonly env: string;
      readonly count: number | undefined;
      readonly rest: string[];
    }>();
    expectTypeOf<CommandArgs<'  <a:string>   [b] <c:number>', NoOptions>>().toEqualTypeOf<{
      readonly a: string;
      readonly b: string | undefined;
      readonly c: number;
    }>();
    expectTypeOf<CommandArgs<'<ids...:number>', NoOptions>>().toEqualTypeOf<{ readonly ids: string[] }>();
  });

  it('reads options: defaults make them present, booleans are always set, choices narrow', () => {
    const options = {
      loud: { type: 'boolean' },
      times: { type: 'number', default: 1 },
      limit: { type: 'number' },
      who: { type: 'string' },
      level: { type: 'string', choices: ['low', 'high'], default: 'low' },
    } as const;
    expectTypeOf<CommandArgs<'', typeof options>>().toEqualTypeOf<{
      readonly loud: boolean;
      readonly times: number;
      readonly limit: number | undefined;
      readonly who: string | undefined;
      readonly level: 'low' | 'high';
    }>();
  });

  it('falls back to untyped args for a non-literal args string', () => {
    expectTypeOf<CommandArgs<string, NoOptions>>().toEqualTypeOf<Args>();
  });

  let bot: TestBot | undefined;
  it('types ctx.args in bot.command and gives the handler those values', async () => {
    const seen: unknown[] = [];
    const plugin = definePlugin({
      name: 'typed',
      setup(api) {
        api.command({
          name: 'deploy',
          args: '<service> [replicas:number] [notes...]',
          options: {
            force: { type: 'boolean' },
            wait: { type: 'number', default: 30 },
            region: { type: 'string', choices: ['eu', 'us'] },
          },
          effect: 'read',
          permission: (args) => {
            expectTypeOf(args.service).toEqualTypeOf<string>();
            return `typed.deploy.${args.service}`;
          },
          summary: 'typed',
          run: (ctx) => {
            expectTypeOf(ctx.args.service).toEqualTypeOf<string>();
            expectTypeOf(ctx.args.replicas).toEqualTypeOf<number | undefined>();
            expectTypeOf(ctx.args.notes).toEqualTypeOf<string[]>();
            expectTypeOf(ctx.args.force).toEqualTypeOf<boolean>();
            expectTypeOf(ctx.args.wait).toEqualTypeOf<number>();
            expectTypeOf(ctx.args.region).toEqualTypeOf<'eu' | 'us' | undefined>();
            // @ts-expect-error: not declared
            void ctx.args.other;
            seen.push({ ...ctx.args });
            return 'ok';
          },
        });
        api.action<{ to: string }>('typed.wave', {
          effect: 'read',
          run: (ctx) => {
            expectTypeOf(ctx.args.to).toEqualTypeOf<string>();
            return `waved at ${ctx.args.to}`;
          },
        });
      },
    });
    bot = await createTestBot({ plugins: [plugin] });
    await bot.say('alice', 'deploy api');
    await bot.say('alice', 'deploy api 3 first rollout --force --wait 5 --region eu');
    expect(seen).toEqual([
      { service: 'api', notes: [], force: false, wait: 30 },
      { service: 'api', replicas: 3, notes: ['first', 'rollout'], force: true, wait: 5, region: 'eu' },
    ]);
    await bot.close();
  });
});
