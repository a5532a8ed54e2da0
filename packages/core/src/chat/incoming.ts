/** Kind of conversation a message came from. */
export type ConversationKind = 'dm' | 'channel' | 'thread';

/** Where a message was said or should go. */
export interface Conversation {
  /** Platform id of the channel or DM. */
  id: string;
  /** Human name, e.g. `#ops` or `town-square`, when known. */
  name?: string;
  /**
   * Name of the team the channel belongs to, on platforms where one bot sees several (Mattermost).
   * `#name` rule entries match only channels of the adapter's home teams; `#team/name` names one.
   */
  team?: string;
  kind: ConversationKind;
  /** Thread root (Slack `thread_ts`, Mattermost `root_id`) when in a thread. */
  threadId?: string;
}

/** A chat user as the adapter sees them. */
export interface ChatUser {
  /** Platform user id (`U123`, a Mattermost id, the shell user name). */
  id: string;
  /** Display name or handle. */
  name: string;
  email?: string;
  isBot?: boolean;
}

/** A message the robot posted, so it can be updated later. Serializable. */
export interface MessageRef {
  platform: string;
  conversationId: string;
  /** Slack `ts`, Mattermost post id, a shell message number. */
  id: string;
  threadId?: string;
  /** Adapter-specific extras (e.g. a Slack `response_url`). */
  extra?: Record<string, string>;
}

interface IncomingBase {
  platform: string;
  user: ChatUser;
  conversation: Conversation;
  /** Platform event/delivery id, used to drop duplicate deliveries. */
  eventId?: string;
  /** The platform payload, for plugins that need more. */
  raw?: unknown;
}

/** A chat message. */
export interface IncomingMessage extends IncomingBase {
  type: 'message';
  text: string;
  /**
   * True when the message is for the bot: a DM, a mention, a slash command. When false the robot still
   * checks for its name or prefix at the start of `text`.
   */
  addressed: boolean;
  /** Set for slash commands (`/opsbot`). */
  slash?: boolean;
  /** The platform message id, when there is one. */
  messageId?: string;
}

/** A button click carrying an action token. */
export interface IncomingAction extends IncomingBase {
  type: 'action';
  token: string;
  /** The message the button was on. */
  message?: MessageRef;
  /**
   * Only check the click: verify the token and authorize the clicker (and refuse a used write button),
   * run and use up nothing. Status `ok` means the click would be allowed; a refusal is audited and
   * answered privately as for a real click. For adapters that ask for confirmation only once the
   * clicker is known to be allowed.
   */
  checkOnly?: boolean;
}

/** What adapters hand to the robot. */
export type Incoming = IncomingMessage | IncomingAction;
