import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin } from '../src/index.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const probe = definePlugin({
  name: 'probe',
  setup(api) {
    api.command({
      name: 'can',
      args: '<permission> [env]',
      options: { read: { type: 'boolean' } },
      effect: 'read',
      summary: 'asks ctx.can',
      run: (ctx) => {
        const { permission, env, read } = ctx.args;
        const allowed = ctx.can(permission, {
          ...(read ? { effect: 'read' as const } : {}),
          ...(env ? { args: { env } } : {}),
        });
        return allowed ? 'yes' : 'no';
      },
    });
  },
});

async function ask(user: string, line: string, channel?: string): Promise<string | undefined> {
  const [reply] = await bot!.say(user, line, channel ? { channel } : {});
  return reply?.text;
}

describe('ctx.can', () => {
  it("answers by the robot's rules: roles, channels, argument limits, approvals and defaults", async () => {
    bot = await createTestBot({
      plugins: [probe],
      config: {
        auth: {
          roles: { admin: ['shell:carol'], ops: ['shell:alice'] },
          rules: [
            { allow: 'deploy.cancel-others', roles: ['admin'] },
            { allow: 'deploy.run', roles: ['ops'], args: { env: ['uat'] } },
            { allow: 'db.drop', roles: ['ops'], channels: ['#ops'] },
            { allow: 'db.wipe', roles: ['ops'], approval: { roles: ['admin'], count: 1, ttl: '1h' } },
          ],
        },
      },
    });
    expect(await ask('carol', 'can deploy.cancel-others')).toBe('yes');
    expect(await ask('alice', 'can deploy.cancel-others')).toBe('no');
    expect(await ask('alice', 'can deploy.run uat')).toBe('yes');
    expect(await ask('alice', 'can deploy.run prod')).toBe('no');
    expect(await ask('alice', 'can db.drop', 'ops')).toBe('yes');
    expect(await ask('alice', 'can db.drop', 'random')).toBe('no');
    // A rule that wants an approval is not a yes for a direct check.
    expect(await ask('alice', 'can db.wipe')).toBe('no');
    // No rule names it: write (the default effect) is denied, read allowed.
    expect(await ask('alice', 'can unnamed.thing')).toBe('no');
    expect(await ask('alice', 'can unnamed.thing --read')).toBe('yes');
  });
});
