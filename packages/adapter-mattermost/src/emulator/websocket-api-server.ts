import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { tokenFromRequest } from './auth-token.js';
import { SERVER_VERSION } from './http-kit.js';
import { isValidId, newId } from './ids.js';
import type { ServerState } from './server-state.js';

/** Who a broadcast goes to (`model.WebsocketBroadcast`). */
export interface Broadcast {
  user_id?: string;
  channel_id?: string;
  team_id?: string;
  omit_users?: Record<string, boolean> | null;
}

/** A record of each accepted socket, for assertions. */
export interface SocketRecord {
  connectionId: string;
  userId: string;
  /** The query the client connected with. */
  requestedConnectionId: string;
  requestedSequence: number | undefined;
  /** True when the server resumed the old connection (replay, no hello). */
  resumed: boolean;
  auth: 'header' | 'challenge';
}

interface Connection {
  id: string;
  userId: string;
  nextSeq: number;
  /** The last events sent, with their seqs, for replay (`DEAD_QUEUE_SIZE` = 128). */
  deadQueue: { seq: number; frame: string }[];
  socket?: WebSocket;
  /** Replay only works for sockets authenticated during the upgrade (reference §2.6). */
  authenticatedAtUpgrade: boolean;
}

const DEAD_QUEUE_SIZE = 128;
const AUTH_TIMEOUT_MS = 5000;

/** The `/api/v4/websocket` endpoint: auth, hello, per-connection seqs, dead queue and replay. */
export class WebSocketApiServer {
  /** Every accepted socket, in order. */
  readonly sockets: SocketRecord[] = [];
  /** Frames each client sent (`{action, seq, data}`), for assertions. */
  readonly clientFrames: { connectionId: string | undefined; frame: Record<string, unknown> }[] = [];
  /** When false, upgrades are refused with 503 (a network partition or a server that is down). */
  available = true;
  /** How many upgrades were refused while unavailable. */
  refusedUpgrades = 0;
  /** When false, a reconnect never resumes: new connection id and hello (a restarted server). */
  resume = true;
  private readonly connections = new Map<string, Connection>();
  /** Users whose next events are queued but not written (a frame lost on the way). */
  private readonly lose = new Map<string, number>();
  private readonly server = new WebSocketServer({ noServer: true });

  constructor(
    private readonly state: ServerState,
    /** Called whenever a socket opens, closes or is refused. */
    private readonly onChange: () => void,
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/v4/websocket' && url.pathname !== '/api/v4/websocket/') {
      rejectUpgrade(socket, 404, '{"id":"api.context.404.app_error","status_code":404}');
      return;
    }
    if (!this.available) {
      this.refusedUpgrades += 1;
      rejectUpgrade(socket, 503, 'Service Unavailable');
      this.onChange();
      return;
    }
    const token = tokenFromRequest(req, url);
    const user = token ? this.state.userForToken(token) : undefined;
    if (token && !user) {
      rejectUpgrade(
        socket,
        401,
        JSON.stringify({
          id: 'api.context.session_expired.app_error',
          message: 'Invalid or expired session, please login again.',
          detailed_error: '',
          status_code: 401,
        }),
      );
      return;
    }
    this.server.handleUpgrade(req, socket, head, (ws) => {
      const requestedId = url.searchParams.get('connection_id') ?? '';
      const sequenceParam = url.searchParams.get('sequence_number');
      const requestedSequence = sequenceParam === null ? undefined : Number(sequenceParam);
      if (requestedId && (!isValidId(requestedId) || requestedSequence === undefined)) {
        ws.close();
        return;
      }
      if (user) {
        this.attach(ws, user.id, 'header', requestedId, requestedSequence);
      } else {
        this.awaitChallenge(ws, requestedId, requestedSequence);
      }
    });
  }

  /** Sends an event to every connection the broadcast selects, active or waiting to be resumed. */
  publish(
    event: string,
    data: Record<string, unknown>,
    broadcast: Broadcast,
    mentionedUserIds: string[] = [],
  ): void {
    const channel = broadcast.channel_id ? this.state.channels.get(broadcast.channel_id) : undefined;
    for (const connection of this.connections.values()) {
      if (broadcast.user_id && connection.userId !== broadcast.user_id) continue;
      if (channel && !channel.members.has(connection.userId)) continue;
      if (broadcast.omit_users?.[connection.userId]) continue;
      const eventData = { ...data };
      if (event === 'posted') addMentions(eventData, connection.userId, channel?.type, mentionedUserIds);
      this.send(connection, event, eventData, broadcast);
    }
  }

  /** Terminates sockets without forgetting their connections (a dropped network). */
  dropSockets(userId?: string): void {
    for (const connection of this.connections.values()) {
      if (userId && connection.userId !== userId) continue;
      connection.socket?.terminate();
      connection.socket = undefined;
    }
  }

  /** The next `count` events for `userId` get their seq and go to the dead queue, but are not written. */
  loseEvents(userId: string, count: number): void {
    this.lose.set(userId, count);
  }

  /** Forgets every connection and closes its socket (a server restart: nothing can be resumed). */
  forgetConnections(): void {
    this.dropSockets();
    this.connections.clear();
  }

  /** Number of open sockets for a user. */
  openSockets(userId: string): number {
    let count = 0;
    for (const connection of this.connections.values()) {
      if (connection.userId === userId && connection.socket) count += 1;
    }
    return count;
  }

  async close(): Promise<void> {
    this.forgetConnections();
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private awaitChallenge(ws: WebSocket, requestedId: string, requestedSequence: number | undefined): void {
    const timer = setTimeout(() => ws.close(), AUTH_TIMEOUT_MS);
    const onMessage = (raw: Buffer) => {
      const frame = parseFrame(raw);
      this.clientFrames.push({ connectionId: undefined, frame: frame ?? {} });
      if (!frame || typeof frame.seq !== 'number' || frame.seq <= 0 || typeof frame.action !== 'string') {
        ws.send(failReply(frame?.seq, 'api.web_socket_router.bad_seq.app_error', 400));
        return;
      }
      if (frame.action !== 'authentication_challenge') {
        ws.send(failReply(frame.seq, 'api.web_socket_router.not_authenticated.app_error', 401));
        return;
      }
      const data = frame.data as { token?: unknown } | undefined;
      const user = typeof data?.token === 'string' ? this.state.userForToken(data.token) : undefined;
      if (!user) {
        ws.close();
        return;
      }
      clearTimeout(timer);
      ws.off('message', onMessage);
      this.attach(ws, user.id, 'challenge', requestedId, requestedSequence);
      ws.send(JSON.stringify({ status: 'OK', seq_reply: frame.seq }));
    };
    ws.on('message', onMessage);
    ws.on('close', () => clearTimeout(timer));
  }

  private attach(
    ws: WebSocket,
    userId: string,
    auth: 'header' | 'challenge',
    requestedId: string,
    requestedSequence: number | undefined,
  ): void {
    const old = requestedId ? this.connections.get(requestedId) : undefined;
    const replay =
      this.resume && auth === 'header' && old && old.userId === userId && old.authenticatedAtUpgrade
        ? replayFrom(old, requestedSequence ?? -1)
        : undefined;
    let connection: Connection;
    if (old && replay) {
      old.socket?.terminate();
      connection = old;
      connection.socket = ws;
    } else {
      connection = {
        id: newId(),
        userId,
        nextSeq: 0,
        deadQueue: [],
        socket: ws,
        authenticatedAtUpgrade: auth === 'header',
      };
      this.connections.set(connection.id, connection);
    }
    this.sockets.push({
      connectionId: connection.id,
      userId,
      requestedConnectionId: requestedId,
      requestedSequence,
      resumed: Boolean(replay),
      auth,
    });
    ws.on('message', (raw: Buffer) => this.onClientFrame(connection, ws, raw));
    ws.on('close', () => {
      if (connection.socket === ws) connection.socket = undefined;
      this.onChange();
    });
    this.onChange();
    if (replay) {
      for (const frame of replay) ws.send(frame);
    } else {
      this.send(
        connection,
        'hello',
        { server_version: SERVER_VERSION, connection_id: connection.id },
        { user_id: userId },
      );
    }
  }

  private onClientFrame(connection: Connection, ws: WebSocket, raw: Buffer): void {
    const frame = parseFrame(raw);
    this.clientFrames.push({ connectionId: connection.id, frame: frame ?? {} });
    if (!frame || typeof frame.seq !== 'number' || frame.seq <= 0 || typeof frame.action !== 'string') {
      ws.send(failReply(frame?.seq, 'api.web_socket_router.bad_seq.app_error', 400));
      return;
    }
    if (frame.action === 'authentication_challenge') return; // already authenticated: ignored, no reply
    const reply: Record<string, unknown> = { status: 'OK', seq_reply: frame.seq };
    if (frame.action === 'ping') {
      reply.data = { text: 'pong', version: SERVER_VERSION, server_time: Date.now(), node_id: '' };
    }
    ws.send(JSON.stringify(reply));
  }

  private send(
    connection: Connection,
    event: string,
    data: Record<string, unknown>,
    broadcast: Broadcast,
  ): void {
    const seq = connection.nextSeq++;
    const frame = JSON.stringify({
      event,
      data,
      broadcast: {
        omit_users: broadcast.omit_users ?? null,
        user_id: broadcast.user_id ?? '',
        channel_id: broadcast.channel_id ?? '',
        team_id: broadcast.team_id ?? '',
        connection_id: '',
        omit_connection_id: '',
      },
      seq,
    });
    connection.deadQueue.push({ seq, frame });
    if (connection.deadQueue.length > DEAD_QUEUE_SIZE) connection.deadQueue.shift();
    const lost = this.lose.get(connection.userId) ?? 0;
    if (lost > 0 && event !== 'hello') {
      this.lose.set(connection.userId, lost - 1);
      return;
    }
    connection.socket?.send(frame);
  }
}

/** The frames to resend from `next` on, or undefined when they are no longer all in the dead queue. */
function replayFrom(connection: Connection, next: number): string[] | undefined {
  if (!Number.isInteger(next) || next < 0 || next > connection.nextSeq) return undefined;
  if (next === connection.nextSeq) return [];
  const first = connection.deadQueue[0];
  if (!first || first.seq > next) return undefined;
  return connection.deadQueue.filter((entry) => entry.seq >= next).map((entry) => entry.frame);
}

/** The per-recipient `mentions` a broadcast hook adds: DMs mention the other member. */
function addMentions(
  data: Record<string, unknown>,
  userId: string,
  channelType: string | undefined,
  mentionedUserIds: string[],
): void {
  const post = JSON.parse(String(data.post)) as { user_id: string };
  if (post.user_id === userId) return;
  if (channelType === 'D' || mentionedUserIds.includes(userId)) data.mentions = JSON.stringify([userId]);
}

function parseFrame(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function failReply(seq: unknown, id: string, statusCode: number): string {
  return JSON.stringify({
    status: 'FAIL',
    seq_reply: typeof seq === 'number' ? seq : 0,
    error: { id, message: id, detailed_error: '', status_code: statusCode },
  });
}

function rejectUpgrade(socket: Duplex, status: number, body: string): void {
  const reason = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Service Unavailable';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${body.startsWith('{') ? 'application/json' : 'text/plain'}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
