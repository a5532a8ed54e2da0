import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../src/store/create-store.js';
import { FileStore } from '../src/store/file-store.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { describeStoreContract, FakeClock } from './store-contract.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chatops-store-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeStoreContract('FileStore', async (clock) =>
  FileStore.open(path.join(dir, 'state.json'), { now: clock.now }),
);

async function readJson(file: string): Promise<{ version: number; entries: Record<string, unknown> }> {
  return JSON.parse(await readFile(file, 'utf8'));
}

describe('FileStore: persistence', () => {
  it('starts empty when the file is missing, creating its directory on open', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'state.json');
    const store = await FileStore.open(file);
    expect(await store.keys('')).toEqual([]);
    expect((await stat(path.dirname(file))).isDirectory()).toBe(true);
    await store.close();
  });

  it('has saved the change to disk when a write resolves', async () => {
    const file = path.join(dir, 'state.json');
    const store = await FileStore.open(file);
    await store.set('a', { x: 1 });
    expect((await readJson(file)).entries).toEqual({ a: { value: { x: 1 } } });
    await store.delete('a');
    expect((await readJson(file)).entries).toEqual({});
    await store.close();
  });

  it('keeps volatile keys in memory only: never written, gone after reopening', async () => {
    const file = path.join(dir, 'state.json');
    const first = await FileStore.open(file);
    await first.set('kept', 1);
    expect(await first.setIfAbsent('event:Ev1', 1, { ttlMs: 60_000, volatile: true })).toBe(true);
    expect(await first.setIfAbsent('event:Ev1', 1, { ttlMs: 60_000, volatile: true })).toBe(false);
    await first.set('kept', 2);
    expect(Object.keys((await readJson(file)).entries)).toEqual(['kept']);
    await first.close();
    const second = await FileStore.open(file);
    expect(await second.get('event:Ev1')).toBeUndefined();
    expect(await second.get('kept')).toBe(2);
    await second.close();
  });

  it('keeps values and TTLs across reopening', async () => {
    const file = path.join(dir, 'state.json');
    const clock = new FakeClock();
    const first = await FileStore.open(file, { now: clock.now });
    await first.set('secret', 'abc');
    await first.set('nonce', 1, { ttlMs: 60_000 });
    await first.close();
    const second = await FileStore.open(file, { now: clock.now });
    expect(await second.get('secret')).toBe('abc');
    expect(await second.get('nonce')).toBe(1);
    await second.close();
    clock.advance(60_000);
    const third = await FileStore.open(file, { now: clock.now });
    expect(await third.keys('')).toEqual(['secret']);
    await third.set('other', 2);
    expect(Object.keys((await readJson(file)).entries).sort()).toEqual(['other', 'secret']);
    await third.close();
  });

  it('persists every one of many concurrent writes', async () => {
    const file = path.join(dir, 'state.json');
    const store = await FileStore.open(file);
    await Promise.all(Array.from({ length: 200 }, (_, index) => store.set(`key:${index}`, index)));
    const entries = (await readJson(file)).entries;
    expect(Object.keys(entries)).toHaveLength(200);
    expect(entries['key:199']).toEqual({ value: 199 });
    await store.close();
  });

  it('flushes pending writes on close and refuses writes afterwards', async () => {
    const file = path.join(dir, 'state.json');
    const store = await FileStore.open(file);
    void store.set('late', 'value');
    await store.close();
    expect((await readJson(file)).entries).toEqual({ late: { value: 'value' } });
    await expect(store.set('after', 1)).rejects.toThrow(`store ${file} is closed`);
  });

  it('writes a file only its owner can read', async () => {
    const file = path.join(dir, 'state.json');
    const store = await FileStore.open(file);
    await store.set('secret', 'abc');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await store.close();
  });

  it('names the file when it is corrupt or not a store file', async () => {
    const file = path.join(dir, 'state.json');
    await writeFile(file, '{"version": 1, "entries": {');
    await expect(FileStore.open(file)).rejects.toThrow(
      new RegExp(`^store file ${file} is corrupt: .*; move it away`),
    );
    await writeFile(file, '[1, 2]');
    await expect(FileStore.open(file)).rejects.toThrow(`store file ${file} is not a chatops store file`);
    await writeFile(file, '{"version": 1, "entries": {"k": 5}}');
    await expect(FileStore.open(file)).rejects.toThrow('is not a chatops store file');
  });

  it('removes temporary files left by a killed process', async () => {
    const file = path.join(dir, 'state.json');
    await writeFile(`${file}.4242.7.tmp`, '{"half');
    await writeFile(path.join(dir, 'unrelated.tmp'), 'keep');
    const store = await FileStore.open(file);
    expect((await readdir(dir)).sort()).toEqual(['unrelated.tmp']);
    await store.close();
  });
});

describe('FileStore: atomic saves', () => {
  /** Compiles the store's source files into `dir` so a plain node child process can run them. */
  async function compileStoreFor(childDir: string): Promise<void> {
    const sourceDir = path.resolve(fileURLToPath(import.meta.url), '../../src/store');
    for (const name of ['memory-store', 'file-store']) {
      const source = await readFile(path.join(sourceDir, `${name}.ts`), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      });
      await writeFile(path.join(childDir, `${name}.js`), outputText);
    }
    await writeFile(path.join(childDir, 'package.json'), '{"type":"module"}');
    await writeFile(
      path.join(childDir, 'writer.js'),
      `import { FileStore } from './file-store.js';
const store = await FileStore.open(process.argv[2]);
const blob = 'x'.repeat(1000000);
for (let i = 0; ; i++) {
  await Promise.all([store.set('counter', i), store.set('blob' + (i % 4), { i, blob })]);
  if (i === 3) process.stdout.write('writing\\n');
}
`,
    );
  }

  /** Kills the writer on the first file-system event after it is busy: most likely mid-save. */
  async function killWhileWriting(child: ChildProcess, watchDir: string): Promise<void> {
    const exited = once(child, 'exit');
    try {
      const busy = once(child.stdout!, 'data').then(([chunk]) => String(chunk));
      const first = await Promise.race([busy, exited.then(([code]) => `exited early with ${code}`)]);
      expect(first).toBe('writing\n');
      const watcher = watch(watchDir, () => child.kill('SIGKILL'));
      const [, signal] = await exited;
      watcher.close();
      expect(signal).toBe('SIGKILL');
    } finally {
      child.kill('SIGKILL');
    }
  }

  it('leaves a whole file when the process is killed mid-write', async () => {
    const childDir = path.join(dir, 'child');
    await mkdir(childDir);
    await compileStoreFor(childDir);
    const file = path.join(dir, 'state.json');
    let lastCounter = -1;
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, [path.join(childDir, 'writer.js'), file], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await killWhileWriting(child, dir);
      const data = await readJson(file);
      const counter = (data.entries['counter'] as { value: number }).value;
      expect(counter).toBeGreaterThanOrEqual(3);
      for (const [key, entry] of Object.entries(data.entries)) {
        if (key.startsWith('blob'))
          expect((entry as { value: { blob: string } }).value.blob).toHaveLength(1000000);
      }
      // The next round reopens what the killed process left behind.
      const reopened = await FileStore.open(file);
      expect(await reopened.get('counter')).toBe(counter);
      await reopened.close();
      lastCounter = counter;
    }
    expect(lastCounter).toBeGreaterThanOrEqual(3);
  });
});

describe('createStore', () => {
  it('creates a memory store', async () => {
    expect(await createStore({ type: 'memory' })).toBeInstanceOf(MemoryStore);
  });

  it('opens a file store at the configured path with the given clock', async () => {
    const clock = new FakeClock();
    const file = path.join(dir, 'state.json');
    const store = await createStore({ type: 'file', path: file }, { now: clock.now });
    expect(store).toBeInstanceOf(FileStore);
    await store.set('k', 1, { ttlMs: 10 });
    clock.advance(10);
    expect(await store.get('k')).toBeUndefined();
    await store.close();
  });
});
