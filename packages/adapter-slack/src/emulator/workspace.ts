import { IdFactory, TimestampClock } from './ids.js';

/** A user of the emulated workspace. */
export interface EmulatedUser {
  id: string;
  name: string;
  realName: string;
  email?: string;
  isBot: boolean;
  /** For bot users: their `B…` bot id. */
  botId?: string;
}

/** A conversation of the emulated workspace. */
export interface EmulatedChannel {
  id: string;
  /** Channel name without `#`; for DMs the other user's id. */
  name: string;
  kind: 'channel' | 'group' | 'im';
  /** Member user ids (for a DM: the user and the bot). */
  members: Set<string>;
}

/** A message stored in a channel's history (or an ephemeral one shown to a single user). */
export interface EmulatedMessage {
  channel: string;
  ts: string;
  user: string;
  text: string;
  blocks?: Record<string, unknown>[];
  attachments?: unknown[];
  threadTs?: string;
  botId?: string;
  /** Set for ephemeral messages: the only user who sees it. */
  visibleTo?: string;
  /** How many times it was edited. */
  edits: number;
  deleted: boolean;
  /** Files shared with the message. */
  files?: string[];
}

/** An uploaded file. */
export interface EmulatedFile {
  id: string;
  filename: string;
  title?: string;
  length: number;
  content?: Buffer;
  channel?: string;
  threadTs?: string;
  initialComment?: string;
  completed: boolean;
}

/** The identity of the emulated app and its bot user. */
export interface EmulatedApp {
  teamId: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  botId: string;
  botName: string;
}

/** Users, channels, messages and files of the emulated workspace. */
export class Workspace {
  readonly ids = new IdFactory();
  readonly clock = new TimestampClock();
  readonly app: EmulatedApp;
  readonly users = new Map<string, EmulatedUser>();
  readonly channels = new Map<string, EmulatedChannel>();
  readonly files = new Map<string, EmulatedFile>();
  private readonly history = new Map<string, Map<string, EmulatedMessage>>();

  constructor(botName: string) {
    const botUserId = this.ids.next('U');
    this.app = {
      teamId: this.ids.next('T'),
      teamDomain: 'chatops-emulator',
      appId: this.ids.next('A'),
      botUserId,
      botId: this.ids.next('B'),
      botName,
    };
    this.users.set(botUserId, {
      id: botUserId,
      name: botName,
      realName: botName,
      isBot: true,
      botId: this.app.botId,
    });
  }

  /** Adds a user; returns it. */
  addUser(user: { name: string; email?: string; isBot?: boolean; realName?: string }): EmulatedUser {
    const created: EmulatedUser = {
      id: this.ids.next('U'),
      name: user.name,
      realName: user.realName ?? user.name,
      isBot: user.isBot ?? false,
      ...(user.email ? { email: user.email } : {}),
      ...(user.isBot ? { botId: this.ids.next('B') } : {}),
    };
    this.users.set(created.id, created);
    return created;
  }

  /** Adds a public (or private, `group`) channel the bot is a member of unless told otherwise. */
  addChannel(channel: { name: string; private?: boolean; botIsMember?: boolean }): EmulatedChannel {
    const created: EmulatedChannel = {
      id: this.ids.next(channel.private ? 'G' : 'C'),
      name: channel.name.replace(/^#/, ''),
      kind: channel.private ? 'group' : 'channel',
      members: new Set(channel.botIsMember === false ? [] : [this.app.botUserId]),
    };
    this.channels.set(created.id, created);
    return created;
  }

  /** The DM between `userId` and the bot, opened on first use. */
  directChannel(userId: string): EmulatedChannel {
    for (const channel of this.channels.values()) {
      if (channel.kind === 'im' && channel.name === userId) return channel;
    }
    const created: EmulatedChannel = {
      id: this.ids.next('D'),
      name: userId,
      kind: 'im',
      members: new Set([userId, this.app.botUserId]),
    };
    this.channels.set(created.id, created);
    return created;
  }

  /** Finds a user by id or name. */
  findUser(idOrName: string): EmulatedUser | undefined {
    const direct = this.users.get(idOrName);
    if (direct) return direct;
    for (const user of this.users.values()) if (user.name === idOrName) return user;
    return undefined;
  }

  /** Finds a channel by id, name or `#name`. */
  findChannel(idOrName: string): EmulatedChannel | undefined {
    const direct = this.channels.get(idOrName);
    if (direct) return direct;
    const name = idOrName.replace(/^#/, '');
    for (const channel of this.channels.values()) {
      if (channel.kind !== 'im' && channel.name === name) return channel;
    }
    return undefined;
  }

  /** Stores a new message and returns it. */
  post(message: Omit<EmulatedMessage, 'ts' | 'edits' | 'deleted'>): EmulatedMessage {
    const stored: EmulatedMessage = {
      ...message,
      ts: this.clock.next(message.channel),
      edits: 0,
      deleted: false,
    };
    let channelHistory = this.history.get(message.channel);
    if (!channelHistory) {
      channelHistory = new Map();
      this.history.set(message.channel, channelHistory);
    }
    channelHistory.set(stored.ts, stored);
    return stored;
  }

  /** A message by channel and ts. */
  message(channel: string, ts: string): EmulatedMessage | undefined {
    return this.history.get(channel)?.get(ts);
  }

  /** Messages of a channel in order (ephemeral ones included, marked by `visibleTo`). */
  messages(channel: string): EmulatedMessage[] {
    return [...(this.history.get(channel)?.values() ?? [])];
  }
}
