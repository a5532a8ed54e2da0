import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from '../src/store/create-store.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import type { CheckpointReport } from '../src/store/sqlite-wal-upkeep.js';
import { describeStoreContract, FakeClock } from './store-contract.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chatops-sqlite-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeStoreContract('SqliteStore', async (clock) =>
  SqliteStore.open(path.join(dir, 'state.db'), { now: clock.now }),
);

/** Rows of the table as SQLite holds them, expired ones included. */
function rawRows(file: string): { key: string; expires_at: number | null }[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare('SELECT key, expires_at FROM entries ORDER BY key').all() as {
      key: string;
      expires_at: number | null;
    }[];
  } finally {
    db.close();
  }
}

/** A store in `dir` that checkpoints every 20 ms, with the reports of its checkpoints. */
async function openCheckpointingOften() {
  const file = path.join(dir, 'state.db');
  const reports: CheckpointReport[] = [];
  const store = await SqliteStore.open(file, {
    checkpointEveryMs: 20,
    onCheckpoint: (report) => reports.push(report),
  });
  return { file, store, reports };
}

describe('SqliteStore: the database file', () => {
  it('creates the file and its directory, in WAL mode, and keeps values and TTLs across reopening', async () => {
    const file = path.join(dir, 'nested', 'state.db');
    const clock = new FakeClock();
    const first = await SqliteStore.open(file, { now: clock.now });
    await first.set('secret', 'abc');
    await first.set('nonce', 1, { ttlMs: 60_000 });
    await first.close();
    const db = new DatabaseSync(file, { readOnly: true });
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
    const second = await SqliteStore.open(file, { now: clock.now });
    expect(await second.get('secret')).toBe('abc');
    expect(await second.get('nonce')).toBe(1);
    clock.advance(60_000);
    expect(await second.keys('')).toEqual(['secret']);
    await second.close();
    await expect(second.get('secret')).rejects.toThrow(`store ${file} is closed`);
  });

  it('sweeps expired rows out of the table', async () => {
    const file = path.join(dir, 'state.db');
    const clock = new FakeClock();
    const store = await SqliteStore.open(file, { now: clock.now });
    for (let i = 0; i < 5; i++) await store.set(`nonce:${i}`, 1, { ttlMs: 1000 + i });
    await store.set('kept', 1);
    clock.advance(1002);
    expect(rawRows(file)).toHaveLength(6);
    expect(await store.sweep()).toBe(3);
    expect(rawRows(file).map((row) => row.key)).toEqual(['kept', 'nonce:3', 'nonce:4']);
    await store.close();
  });

  it('sweeps in batches, letting the event loop run between them', async () => {
    const file = path.join(dir, 'state.db');
    const clock = new FakeClock();
    const store = await SqliteStore.open(file, { now: clock.now });
    for (let i = 0; i < 1200; i++) await store.set(`nonce:${i}`, 1, { ttlMs: 1000 });
    clock.advance(1001);
    let turns = 0;
    const counter = setInterval(() => turns++, 0);
    try {
      expect(await store.sweep()).toBe(1200);
    } finally {
      clearInterval(counter);
    }
    expect(turns).toBeGreaterThan(0);
    expect(rawRows(file)).toHaveLength(0);
    await store.close();
  });

  it('restarts the WAL in its background checkpoint, never in a change', async () => {
    const { file, store, reports } = await openCheckpointingOften();
    /** The WAL header's salt, which SQLite changes each time the log starts again from its beginning. */
    const walSalt = async () => (await readFile(`${file}-wal`)).subarray(16, 24).toString('hex');
    const restarts = async (count: number) =>
      vi.waitFor(
        () => expect(reports.filter((report) => report.restarted).length).toBeGreaterThanOrEqual(count),
        { timeout: 5000 },
      );

    for (let i = 0; i < 20; i++) await store.set(`approval:${i}`, { i });
    await restarts(1);
    const afterRestart = await walSalt();
    for (let i = 0; i < 20; i++) await store.set(`approval:${i}`, { i, again: true });
    expect(await walSalt()).toBe(afterRestart);
    await restarts(2);
    expect(await walSalt()).not.toBe(afterRestart);

    const checkpointsWhenIdle = reports.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reports).toHaveLength(checkpointsWhenIdle);
    await store.close();
  });

  it('checkpoints only when rows changed: reads and refused writes leave the WAL alone', async () => {
    const { store, reports } = await openCheckpointingOften();
    try {
      await store.set('approval:1', { n: 1 });
      await vi.waitFor(() => expect(reports.some((report) => report.restarted)).toBe(true), {
        timeout: 5000,
      });
      const before = reports.length;
      expect(await store.compareAndSet('approval:1', { n: 2 }, { n: 3 })).toBe(false);
      expect(await store.deleteIfEquals('approval:1', { n: 2 })).toBe(false);
      expect(await store.setIfAbsent('approval:1', { n: 4 })).toBe(false);
      expect(await store.get('approval:1')).toEqual({ n: 1 });
      // Five runs of the 20 ms timer.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(reports).toHaveLength(before);
    } finally {
      await store.close();
    }
  });

  it('checkpoints a few changes on the event loop without starting its thread', async () => {
    const { store, reports } = await openCheckpointingOften();
    try {
      for (let i = 0; i < 5; i++) await store.set(`approval:${i}`, { i });
      await vi.waitFor(() => expect(reports.length).toBeGreaterThan(0), { timeout: 5000 });
      expect(reports.every((report) => report.onEventLoop)).toBe(true);
      expect(reports.some((report) => report.restarted)).toBe(true);
      expect(store.checkpointThreadRunning).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('starts its checkpointing thread when many changes pile up, lets it go after a quiet spell, and starts it again', async () => {
    const { store, reports } = await openCheckpointingOften();
    /** More changes than are checkpointed on the event loop (100 separate writes). */
    const burst = (tag: string) =>
      Promise.all(Array.from({ length: 100 }, (_, i) => store.set(`${tag}:${i}`, i)));
    try {
      await burst('first');
      await vi.waitFor(() => expect(reports.some((report) => !report.onEventLoop)).toBe(true), {
        timeout: 5000,
      });
      expect(store.checkpointThreadRunning).toBe(true);
      // 30 quiet runs at 20 ms each.
      await vi.waitFor(() => expect(store.checkpointThreadRunning).toBe(false), { timeout: 5000 });
      const before = reports.length;
      await store.set('second', 2);
      await vi.waitFor(() => expect(reports.length).toBeGreaterThan(before), { timeout: 5000 });
      expect(reports.at(-1)?.onEventLoop).toBe(true);
      expect(store.checkpointThreadRunning).toBe(false);
      await burst('third');
      await vi.waitFor(() => expect(store.checkpointThreadRunning).toBe(true), { timeout: 5000 });
    } finally {
      await store.close();
    }
  });

  it('goes on when the WAL restart after a checkpoint finds the file locked by another writer', async () => {
    const { file, store, reports } = await openCheckpointingOften();
    const other = new DatabaseSync(file);
    try {
      await store.set('approval:1', { n: 1 });
      // Held across the restart write, which waits for it up to busy_timeout (5 s), then gives up.
      other.exec('BEGIN IMMEDIATE');
      const lockedAt = Date.now();
      await vi.waitFor(() => expect(Date.now() - lockedAt).toBeGreaterThan(5000), { timeout: 15_000 });
      other.exec('ROLLBACK');
      await vi.waitFor(() => expect(reports.some((report) => report.restarted)).toBe(true), {
        timeout: 5000,
      });
      await store.set('approval:2', { n: 2 });
      expect(await store.get('approval:2')).toEqual({ n: 2 });
    } finally {
      other.close();
      await store.close();
    }
  }, 30_000);

  it('names the file when it is not a database', async () => {
    const file = path.join(dir, 'state.db');
    await writeFile(file, 'not a database, just text that is long enough to have a header of sorts');
    await expect(SqliteStore.open(file)).rejects.toThrow(`state database ${file}: `);
  });

  it('opens through createStore for `store: { type: sqlite }`', async () => {
    const file = path.join(dir, 'state.db');
    const store = await createStore({ type: 'sqlite', path: file });
    expect(store).toBeInstanceOf(SqliteStore);
    await store.close();
  });
});

describe('SqliteStore: importing the former state.json', () => {
  it('imports live entries on first start, then renames the file state.json.migrated', async () => {
    const clock = new FakeClock();
    const legacy = path.join(dir, 'state.json');
    const entries = {
      'chatops:secret': { value: 'the-secret' },
      'chatops:approval:abc': { value: { id: 'abc', state: 'pending' }, expiresAt: clock.time + 60_000 },
      'chatops:nonce:used': { value: 1, expiresAt: clock.time + 1000 },
      'chatops:nonce:old': { value: 1, expiresAt: clock.time - 1 },
    };
    await writeFile(legacy, JSON.stringify({ version: 1, entries }));
    const imported: [string, number][] = [];
    const store = await SqliteStore.open(path.join(dir, 'state.db'), {
      now: clock.now,
      onImport: (file, count) => imported.push([file, count]),
    });
    expect(imported).toEqual([[legacy, 3]]);
    expect(await store.keys('')).toEqual(['chatops:approval:abc', 'chatops:nonce:used', 'chatops:secret']);
    expect(await store.get('chatops:approval:abc')).toEqual({ id: 'abc', state: 'pending' });
    expect(await store.setIfAbsent('chatops:nonce:used', 1)).toBe(false);
    clock.advance(1000);
    expect(await store.setIfAbsent('chatops:nonce:used', 1)).toBe(true);
    await store.close();
    expect((await readdir(dir)).filter((name) => name.startsWith('state.json'))).toEqual([
      'state.json.migrated',
    ]);
    expect(JSON.parse(await readFile(`${legacy}.migrated`, 'utf8')).entries).toEqual(entries);

    const reopened = await SqliteStore.open(path.join(dir, 'state.db'), {
      now: clock.now,
      onImport: () => imported.push(['again', 0]),
    });
    expect(imported).toHaveLength(1);
    expect(await reopened.get('chatops:secret')).toBe('the-secret');
    await reopened.close();
  });

  it('refuses a corrupt state.json, naming it, and imports nothing', async () => {
    const legacy = path.join(dir, 'state.json');
    await writeFile(legacy, '{"version": 1, "entries": {');
    await expect(SqliteStore.open(path.join(dir, 'state.db'))).rejects.toThrow(
      new RegExp(`^state file ${legacy} is corrupt: .*; move it away`),
    );
    await writeFile(legacy, '{"version": 1, "entries": {"k": 5}}');
    await expect(SqliteStore.open(path.join(dir, 'state.db'))).rejects.toThrow(
      `state file ${legacy} is not a chatops state file`,
    );
    expect(await readdir(dir)).toContain('state.json');
  });
});

describe('SqliteStore: several processes on one file', () => {
  const contender = path.resolve(fileURLToPath(import.meta.url), '../fixtures/sqlite-contender.mjs');

  it('gives each nonce to exactly one process, loses no compare-and-set increment and shares one token bucket', async () => {
    const file = path.join(dir, 'state.db');
    await (await SqliteStore.open(file)).close();
    const children = [0, 1, 2].map(() =>
      spawn(process.execPath, [contender, file, '150'], { stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    const outputs = children.map((child) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
      });
      child.stderr!.on('data', (chunk) => {
        err += chunk;
      });
      return { out: () => out, err: () => err, exit: once(child, 'exit') };
    });
    try {
      await Promise.all(children.map((child) => once(child.stdout!, 'data')));
      for (const child of children) child.stdin!.write('go\n');
      const codes = await Promise.all(outputs.map((output) => output.exit));
      expect(codes.map(([code]) => code)).toEqual([0, 0, 0]);
    } finally {
      for (const child of children) child.kill('SIGKILL');
    }
    const results = outputs.map(
      (output) => JSON.parse(output.out().trim().split('\n').at(-1)!) as { won: number; tokens: number },
    );
    expect(results.reduce((sum, result) => sum + result.won, 0)).toBe(150);
    expect(results.reduce((sum, result) => sum + result.tokens, 0)).toBe(200);
    expect(outputs.map((output) => output.err())).toEqual(['', '', '']);
    const store = await SqliteStore.open(file);
    expect(await store.get('counter')).toBe(450);
    expect(await store.keys('nonce:')).toHaveLength(150);
    await store.close();
  });
});
