import { createTestBot, type TestBot } from '@chatops/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import hello from '../src/index.js';

let bot: TestBot;
afterEach(() => bot.close());

describe('hello plugin', () => {
  it('greets with the configured word, loudly when asked', async () => {
    bot = await createTestBot({ plugins: [[hello, { greeting: 'Howdy' }]] });
    const [reply] = await bot.say('alice', 'hello world --loud --times 2');
    expect(reply?.card.text).toBe('HOWDY, WORLD! HOWDY, WORLD!');
    expect(reply?.card.status).toBe('ok');
  });

  it('answers a bad call with the usage', async () => {
    bot = await createTestBot({ plugins: [hello] });
    const [reply] = await bot.say('alice', 'hello world --times 9');
    expect(reply?.text).toContain('--times must be 1 to 5. Usage: hello <name>');
    expect(bot.lastResult?.status).toBe('usage');
  });

  it('has a Wave back button that answers as whoever clicks it', async () => {
    bot = await createTestBot({ plugins: [hello] });
    const [reply] = await bot.say('alice', 'hello bob');
    const [updated] = await bot.click(reply!, 'Wave back', 'bob');
    // The greeting stays; the answer is added to it.
    expect(updated?.card.title).toBe('Greeting');
    expect(updated?.card.text).toBe('Hello, bob!\n\nbob waves back at alice.');
    expect(updated?.card.footer).toBe('by @bob');
  });
});
