import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { CallLog } from './call-log.js';
import type { IdFactory } from './ids.js';

/** Envelope types Slack sends over Socket Mode. */
export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** Why Slack asks a client to reconnect. */
export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled' | 'too_many_websockets';

/** How a delivery ended. */
export type DeliveryOutcome =
  | { acked: true; attempt: number; envelopeId: string; payload: Record<string, unknown> | undefined }
  | { acked: false; attempts: number; reason: 'timeout' };

/** One payload delivered to the app, across its retries. */
export interface Delivery {
  type: EnvelopeType;
  payload: Record<string, unknown>;
  /** `event_id` of an `events_api` payload. */
  eventId?: string;
  /** Envelope ids of every attempt so far. */
  envelopeIds: string[];
  /** Deliveries made so far (1 + retries). */
  attempts: number;
  /** Settles on the first ack, or when Slack would give up. */
  outcome: Promise<DeliveryOutcome>;
}

/** Timing of the Socket Mode protocol; tests shorten Slack's real values. */
export interface SocketModeTiming {
  /** How long the app has to ack an envelope (Slack: 3 s). */
  ackTimeoutMs: number;
  /** Delay before each `events_api` retry (Slack: about 0 s, 1 min, 5 min). */
  retryDelaysMs: number[];
  /** After a `warning` disconnect, how long until the server closes the socket (Slack: about 10 s). */
  closeAfterDisconnectMs: number;
  /** Server ping interval; 0 sends none. */
  serverPingIntervalMs: number;
}

interface Connection {
  ws: WebSocket;
  inflight: Set<string>;
  helloSent: boolean;
}

interface PendingDelivery {
  delivery: Delivery;
  resolve: (outcome: DeliveryOutcome) => void;
  connection?: Connection;
  timer?: NodeJS.Timeout;
  settled: boolean;
}

const MAX_CONNECTIONS = 10;

/** The WebSocket side of Socket Mode: tickets, hello, envelopes, acks, retries, disconnects. */
export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, number>();
  private readonly connections = new Set<Connection>();
  private readonly pending = new Map<string, PendingDelivery>();
  private backlog: PendingDelivery[] = [];
  private nextConnection = 0;
  private acksToLose = 0;
  private pingTimer?: NodeJS.Timeout;
  /** Every ack received, in order. */
  readonly acks: { envelopeId: string; payload: Record<string, unknown> | undefined }[] = [];
  /** While true, WebSocket upgrades are refused (Slack unreachable), so clients cannot reconnect. */
  refuseConnections = false;
  /** Connections opened (hello sent) so far. */
  opened = 0;
  /** Connections closed so far. */
  closed = 0;
  /** Envelopes sent so far (including retries). */
  sent = 0;

  constructor(
    private readonly ids: IdFactory,
    private readonly log: CallLog,
    private readonly appId: string,
    readonly timing: SocketModeTiming,
  ) {
    if (timing.serverPingIntervalMs > 0) {
      this.pingTimer = setInterval(() => {
        for (const connection of this.connections) connection.ws.ping();
      }, timing.serverPingIntervalMs);
      this.pingTimer.unref();
    }
  }

  /** Issues a one-time WebSocket URL (what `apps.connections.open` returns). */
  issueUrl(baseWsUrl: string): string {
    const ticket = this.ids.secret();
    this.tickets.set(ticket, Date.now() + 60_000);
    return `${baseWsUrl}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  /** Handles an HTTP upgrade on `/link/`; rejects unknown or reused tickets. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://emulator.invalid');
    const ticket = url.searchParams.get('ticket') ?? '';
    const expiresAt = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (
      this.refuseConnections ||
      url.pathname !== '/link/' ||
      expiresAt === undefined ||
      expiresAt < Date.now()
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  /** Open connections that received `hello`. */
  get connectionCount(): number {
    let count = 0;
    for (const connection of this.connections) if (connection.helloSent) count += 1;
    return count;
  }

  /** Deliveries neither acked nor given up on yet. */
  outstanding = 0;

  /** Delivers a payload as an envelope; queued until a connection is open. */
  deliver(type: EnvelopeType, payload: Record<string, unknown>): Delivery {
    const { promise: outcome, resolve } = Promise.withResolvers<DeliveryOutcome>();
    const delivery: Delivery = {
      type,
      payload,
      envelopeIds: [],
      attempts: 0,
      outcome,
      ...(typeof payload.event_id === 'string' ? { eventId: payload.event_id } : {}),
    };
    this.outstanding += 1;
    const entry: PendingDelivery = {
      delivery,
      resolve: (result) => {
        this.outstanding -= 1;
        resolve(result);
      },
      settled: false,
    };
    if (this.connectionCount === 0 && type === 'events_api') {
      // Slack tried while no socket was open; the event arrives later as a retry.
      delivery.attempts = 1;
    }
    this.send(entry);
    return delivery;
  }

  /** Delivers an already delivered event again, as Slack does when it believes the ack was lost. */
  redeliver(delivery: Delivery): void {
    const entry: PendingDelivery = {
      delivery,
      resolve: () => {},
      settled: false,
    };
    this.send(entry);
  }

  /** The next `count` acks are dropped on the floor (as if lost in transit), forcing retries. */
  loseAcks(count: number): void {
    this.acksToLose += count;
  }

  /** Sends `disconnect` to every connection; the server closes them itself after the grace time. */
  disconnect(reason: DisconnectReason): void {
    for (const connection of this.connections) this.sendDisconnect(connection, reason);
  }

  /** Drops every socket without a close frame (a network failure). */
  dropConnections(): void {
    for (const connection of this.connections) connection.ws.terminate();
  }

  /** Closes everything. */
  async close(): Promise<void> {
    clearInterval(this.pingTimer);
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    for (const connection of this.connections) connection.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    const connection: Connection = { ws, inflight: new Set(), helloSent: false };
    this.connections.add(connection);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.onClientMessage(data.toString());
    });
    ws.on('close', () => this.onClose(connection));
    ws.on('error', () => ws.terminate());
    if (this.connections.size > MAX_CONNECTIONS) {
      this.sendDisconnect(connection, 'too_many_websockets');
      return;
    }
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connectionCount + 1,
        debug_info: { host: 'applink-emulator', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    connection.helloSent = true;
    this.opened += 1;
    const waiting = this.backlog;
    this.backlog = [];
    for (const entry of waiting) this.send(entry);
    this.log.notify();
  }

  private sendDisconnect(connection: Connection, reason: DisconnectReason): void {
    const frame: Record<string, unknown> = {
      type: 'disconnect',
      reason,
      debug_info: { host: 'applink-emulator' },
    };
    if (reason === 'too_many_websockets') {
      frame.num_connections = this.connections.size;
      frame.connection_info = { app_id: this.appId };
    }
    connection.ws.send(JSON.stringify(frame));
    const grace = reason === 'too_many_websockets' ? 0 : this.timing.closeAfterDisconnectMs;
    setTimeout(() => connection.ws.close(1001, reason), grace).unref();
  }

  private pickConnection(): Connection | undefined {
    const open = [...this.connections].filter((c) => c.helloSent && c.ws.readyState === c.ws.OPEN);
    if (open.length === 0) return undefined;
    this.nextConnection = (this.nextConnection + 1) % open.length;
    return open[this.nextConnection];
  }

  private send(entry: PendingDelivery): void {
    const connection = this.pickConnection();
    if (!connection) {
      this.backlog.push(entry);
      return;
    }
    const { delivery } = entry;
    const envelopeId = this.ids.envelopeId();
    const attempt = delivery.attempts;
    delivery.attempts += 1;
    delivery.envelopeIds.push(envelopeId);
    const envelope: Record<string, unknown> = {
      envelope_id: envelopeId,
      payload: delivery.payload,
      type: delivery.type,
      accepts_response_payload: delivery.type === 'slash_commands',
    };
    if (delivery.type === 'events_api') {
      envelope.retry_attempt = attempt;
      envelope.retry_reason = attempt === 0 ? '' : 'timeout';
    }
    entry.connection = connection;
    connection.inflight.add(envelopeId);
    this.pending.set(envelopeId, entry);
    entry.timer = setTimeout(() => this.onAckTimeout(envelopeId), this.timing.ackTimeoutMs);
    entry.timer.unref();
    this.sent += 1;
    connection.ws.send(JSON.stringify(envelope));
  }

  private onClientMessage(text: string): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message.envelope_id !== 'string') return;
    if (this.acksToLose > 0) {
      this.acksToLose -= 1;
      return;
    }
    const payload =
      message.payload && typeof message.payload === 'object'
        ? (message.payload as Record<string, unknown>)
        : undefined;
    this.acks.push({ envelopeId: message.envelope_id, payload });
    const entry = this.pending.get(message.envelope_id);
    if (entry) {
      this.pending.delete(message.envelope_id);
      entry.connection?.inflight.delete(message.envelope_id);
      clearTimeout(entry.timer);
      if (!entry.settled) {
        entry.settled = true;
        entry.resolve({
          acked: true,
          attempt: entry.delivery.attempts - 1,
          envelopeId: message.envelope_id,
          payload,
        });
      }
    }
    this.log.notify();
  }

  private onAckTimeout(envelopeId: string): void {
    const entry = this.pending.get(envelopeId);
    if (!entry) return;
    this.pending.delete(envelopeId);
    entry.connection?.inflight.delete(envelopeId);
    this.retryOrGiveUp(entry);
  }

  private retryOrGiveUp(entry: PendingDelivery): void {
    const { delivery } = entry;
    const retriesDone = delivery.attempts - 1;
    if (delivery.type !== 'events_api' || retriesDone >= this.timing.retryDelaysMs.length) {
      entry.settled = true;
      entry.resolve({ acked: false, attempts: delivery.attempts, reason: 'timeout' });
      this.log.notify();
      return;
    }
    const delay = this.timing.retryDelaysMs[retriesDone] ?? 0;
    setTimeout(() => this.send({ ...entry, connection: undefined, timer: undefined }), delay).unref();
  }

  private onClose(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    if (connection.helloSent) this.closed += 1;
    // Envelopes the app never acked on this socket: Slack retries them on another connection.
    for (const envelopeId of connection.inflight) {
      const entry = this.pending.get(envelopeId);
      if (!entry) continue;
      this.pending.delete(envelopeId);
      clearTimeout(entry.timer);
      this.retryOrGiveUp(entry);
    }
    this.log.notify();
  }
}
