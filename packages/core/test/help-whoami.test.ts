import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin } from '../src/index.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const run = () => 'done';

/** Commands and actions covering each way a permission is named. */
const deploy = definePlugin({
  name: 'deploy',
  setup(b) {
    b.command({ name: 'deploy', args: '<service>', effect: 'write', summary: 'Deploy a service', run });
    b.command({ name: 'deploys', effect: 'read', summary: 'List deploys', run });
    b.command({ name: 'deploy status', effect: 'read', summary: 'Deploy status', run });
    b.command({ name: 'release', effect: 'read', permission: 'deploy.read', summary: 'Releases', run });
    b.command({
      name: 'rollout',
      args: '<service>',
      effect: (args) => (args['service'] === 'docs' ? 'read' : 'write'),
      permission: (args) => `deploy.rollout.${String(args['service'])}`,
      summary: 'Roll out',
      run,
    });
    b.action('deploy.rollback', { effect: 'write', run });
    b.action('deploy.details', { effect: 'read', run });
    b.action('deploy.notify', { effect: 'read', permission: 'deploy.read', run });
    b.action('deploy.purge', { effect: 'write', run });
  },
});

async function start() {
  bot = await createTestBot({
    plugins: [deploy],
    config: {
      auth: {
        roles: { sre: ['shell:alice'] },
        rules: [
          { allow: ['deploy', 'deploy.rollback', 'deploy.rollout.*'], roles: ['sre'] },
          { allow: 'deploy.purge', roles: ['sre'], approval: { roles: ['sre'] } },
        ],
      },
    },
  });
  return bot;
}

async function help(b: TestBot, command: string): Promise<string> {
  const [reply] = await b.say('alice', `help ${command}`);
  return reply!.text;
}

describe('help <command> shows the permission it is checked against', () => {
  it('drops the plugin name when it is the first command word, and keeps the words otherwise', async () => {
    const b = await start();
    expect(await help(b, 'deploy')).toContain('Permission: deploy; effect: write');
    expect(await help(b, 'deploys')).toContain('Permission: deploy.deploys; effect: read');
    expect(await help(b, 'deploy status')).toContain('Permission: deploy.status; effect: read');
  });

  it('shows a permission override, and says when the plugin computes it from the arguments', async () => {
    const b = await start();
    expect(await help(b, 'release')).toContain('Permission: deploy.read; effect: read');
    expect(await help(b, 'rollout')).toContain(
      'Permission: deploy.rollout (depends on the arguments); effect: depends on the arguments',
    );
  });
});

describe('whoami', () => {
  it('lists the actions the caller may press by permission, besides the commands, marking approvals', async () => {
    const b = await start();
    const [alice] = await b.say('alice', 'whoami');
    expect(alice!.text).toContain(
      'May press (4): deploy.rollback, deploy.details, deploy.read, deploy.purge (needs approval)',
    );
    expect(alice!.text).toMatch(/May run \(\d+\): .*\bdeploy, deploy\.deploys, deploy\.status/);

    const [bob] = await b.say('bob', 'whoami');
    expect(bob!.text).toContain('May press (2): deploy.details, deploy.read');
    expect(bob!.text).not.toMatch(/May run[^\n]*\bdeploy,/);
  });
});
