/** A chat user as Hubot scripts see it (`res.message.user`): id, name, room and any extra fields. */
export class User {
  id: string;
  name: string;
  room?: string;
  [key: string]: unknown;

  constructor(id: string, options: Record<string, unknown> = {}) {
    this.id = id;
    Object.assign(this, options);
    this.name = typeof options['name'] === 'string' ? options['name'] : String(id);
  }
}

/** Hubot's base message. `finish()` stops later listeners from seeing it. */
export class Message {
  done = false;
  room: string | undefined;

  constructor(readonly user: User) {
    this.room = user.room;
  }

  finish(): void {
    this.done = true;
  }
}

/** A text message: `text`, `id`, the thread it is in (`thread_ts` as hubot-slack names it). */
export class TextMessage extends Message {
  thread?: string;
  thread_ts?: string;

  constructor(
    user: User,
    readonly text: string,
    readonly id?: string,
  ) {
    super(user);
  }

  match(regex: RegExp): RegExpMatchArray | null {
    return this.text.match(regex);
  }

  override toString(): string {
    return this.text;
  }
}

/** Someone joined a room (no adapter of this robot reports it yet). */
export class EnterMessage extends Message {}
/** Someone left a room (no adapter of this robot reports it yet). */
export class LeaveMessage extends Message {}
/** A room's topic changed (no adapter of this robot reports it yet). */
export class TopicMessage extends TextMessage {}

/** What `catchAll` listeners get: the message nothing else took, in `.message`. */
export class CatchAllMessage extends Message {
  constructor(readonly message: Message) {
    super(message.user);
  }
}
