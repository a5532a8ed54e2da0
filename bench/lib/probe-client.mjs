import { fileURLToPath } from 'node:url';

/** Node flags that preload the probe; `gc` adds --expose-gc so memory is read after a full GC. */
export function probeArgs({ gc = false } = {}) {
  return [...(gc ? ['--expose-gc'] : []), '--import', fileURLToPath(new URL('./probe.mjs', import.meta.url))];
}

/**
 * The parent's side of the probe: feed it the child's stderr; `ask(child)` sends SIGUSR2 and resolves
 * with `{ memory, delays }` from the answer (event-loop delays in ms since the previous ask).
 */
export function probeClient() {
  let buffer = '';
  let waiting;
  return {
    read(chunk) {
      if (!waiting) return;
      buffer = (buffer + chunk).slice(-1_000_000);
      const match = /BENCH_PROBE (\{[^\n]*\})\n/.exec(buffer);
      if (!match) return;
      buffer = '';
      const resolve = waiting;
      waiting = undefined;
      resolve(JSON.parse(match[1]));
    },
    ask(child) {
      const answer = new Promise((resolve) => {
        waiting = resolve;
      });
      buffer = '';
      child.kill('SIGUSR2');
      return answer;
    },
  };
}
