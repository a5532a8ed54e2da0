import { fork } from 'node:child_process';

/**
 * Runs a benchmark worker in a fresh Node process (same flags for every side) and resolves with the
 * one result it sends over IPC. Every measurement starts from the same process state. The worker's
 * stderr (SDK deprecation notices and the like) is shown only when it fails.
 */
export function runWorker(script, args = [], { timeoutMs = 300_000, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(script, args.map(String), {
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      env: { ...process.env, ...env },
    });
    let result;
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const failed = (message) => new Error(`${script} ${args.join(' ')}: ${message}\n${stderr}`);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(failed(`no result after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (message) => {
      result = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result?.error) reject(failed(result.error));
      else if (result) resolve(result);
      else reject(failed(`exited (${signal ?? code}) without a result`));
    });
  });
}

/** Inside a worker: runs `main`, sends its result (or error) to the parent, exits. */
export async function workerMain(main) {
  let message;
  try {
    message = await main(process.argv.slice(2));
  } catch (error) {
    message = { error: error?.stack ?? String(error) };
  }
  if (process.send) process.send(message, () => process.exit(0));
  else console.log(JSON.stringify(message, null, 2));
}
