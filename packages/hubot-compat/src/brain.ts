import { EventEmitter } from 'node:events';
import type { PluginStore } from '@chatops/core';
import { User } from './message.js';

/** What the brain keeps: users by id and the scripts' own keys. */
export interface BrainData {
  users: Record<string, User>;
  _private: Record<string, unknown>;
  [key: string]: unknown;
}

const STORE_KEY = 'hubot:brain';

/**
 * Hubot's brain (`robot.brain`) kept in the robot's store, so it survives a restart and is shared by
 * replicas using the same store. It is loaded before the scripts run, saved every `saveEveryMs`, on
 * `save()` and on shutdown. Emits `loaded`, `save` and `close` as Hubot's does.
 */
export class Brain extends EventEmitter {
  data: BrainData = { users: {}, _private: {} };
  autoSave = true;
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PluginStore,
    private readonly onSaveError: (error: unknown) => void,
  ) {
    super();
  }

  /** Reads the saved brain and starts saving every `saveEveryMs`. */
  async load(saveEveryMs: number): Promise<void> {
    this.mergeData(await this.store.get<BrainData>(STORE_KEY));
    this.timer = setInterval(() => {
      if (this.autoSave) this.save();
    }, saveEveryMs);
    this.timer.unref();
  }

  set(key: string | Record<string, unknown>, value?: unknown): this {
    const pair = typeof key === 'object' && key !== null ? key : { [key]: value };
    Object.assign(this.data._private, pair);
    this.emit('loaded', this.data);
    return this;
  }

  get(key: string): unknown {
    return this.data._private[key] ?? null;
  }

  remove(key: string): this {
    delete this.data._private[key];
    return this;
  }

  /** Writes the brain to the store (in the background; `flush()` waits for it). */
  save(): void {
    this.emit('save', this.data);
    const snapshot = JSON.parse(JSON.stringify(this.data)) as BrainData;
    this.saving = this.saving
      .then(() => this.store.set(STORE_KEY, snapshot))
      .catch((error) => this.onSaveError(error));
  }

  /** Waits for the saves started so far. */
  flush(): Promise<void> {
    return this.saving;
  }

  /** Saves one last time and stops the timer. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.save();
    await this.flush();
    this.emit('close');
    this.removeAllListeners();
  }

  setAutoSave(enabled: boolean): void {
    this.autoSave = enabled;
  }

  mergeData(data: Partial<BrainData> | undefined): void {
    if (data) Object.assign(this.data, data);
    for (const [id, user] of Object.entries(this.data.users ?? {})) {
      this.data.users[id] = user instanceof User ? user : new User(id, { ...(user as object) });
    }
    this.emit('loaded', this.data);
  }

  users(): Record<string, User> {
    return this.data.users;
  }

  /** The user with this id, created (or refreshed when the room changed) from `options`. */
  userForId(id: string, options: Record<string, unknown> = {}): User {
    let user = this.data.users[id];
    if (!user || (typeof options['room'] === 'string' && user.room !== options['room'])) {
      user = new User(id, { ...user, ...options });
      this.data.users[id] = user;
    }
    return user;
  }

  userForName(name: string): User | null {
    const lower = name.toLowerCase();
    let found: User | null = null;
    for (const user of Object.values(this.data.users)) {
      if (String(user.name).toLowerCase() === lower) found = user;
    }
    return found;
  }

  usersForRawFuzzyName(fuzzyName: string): User[] {
    const lower = fuzzyName.toLowerCase();
    return Object.values(this.data.users).filter((user) => String(user.name).toLowerCase().startsWith(lower));
  }

  usersForFuzzyName(fuzzyName: string): User[] {
    const matched = this.usersForRawFuzzyName(fuzzyName);
    const lower = fuzzyName.toLowerCase();
    const exact = matched.filter((user) => String(user.name).toLowerCase() === lower);
    return exact.length > 0 ? exact : matched;
  }
}
