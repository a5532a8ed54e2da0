import { once } from 'node:events';
import { backoffDelay, withTimeout } from '@chatops/core';
import WebSocket from 'ws';
import type { Logger } from './logger.js';
import type { WebSocketEvent } from './mattermost-types.js';

/** How long `stop()` waits for the server to close the socket before dropping it. */
const CLOSE_TIMEOUT_MS = 2000;

/** Options of {@link WebSocketConnection}. */
export interface WebSocketConnectionOptions {
  /** The server's site URL (`https://chat.example.com`). */
  url: string;
  token: string;
  log: Logger;
  pingIntervalMs: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** Every event in order (not `hello`; replayed events once). */
  onEvent(event: WebSocketEvent): void;
  /** The server started a new connection after an old one: events in between may be lost. */
  onResync(): void;
  /** The socket opened (true) or closed (false). */
  onReadyChange(ready: boolean): void;
  /** The server's clock, from ping replies. */
  onServerTime(serverTime: number): void;
}

/**
 * The WebSocket API over `ws`: authenticates on the upgrade (so the server can resume the connection
 * and replay what was missed), tracks `seq`, pings, and reconnects with backoff and jitter using
 * `connection_id`/`sequence_number`.
 */
export class WebSocketConnection {
  private socket?: WebSocket;
  private connectionId = '';
  private nextSeq = 0;
  private clientSeq = 1;
  private attempt = 0;
  private ready = false;
  private stopped = false;
  private awaitingPong = false;
  private pingTimer?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private readonly readyWaiters: (() => void)[] = [];

  constructor(private readonly options: WebSocketConnectionOptions) {}

  /** Connects; resolves once the socket is open, or after `timeoutMs` (it keeps retrying then). */
  async start(timeoutMs: number): Promise<boolean> {
    this.stopped = false;
    this.connect();
    if (this.ready) return true;
    const opened = new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    return (await withTimeout(opened, timeoutMs)).done;
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Closes the socket and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    // An 'error' while closing ends the wait as a close would: the socket is going either way.
    const closed = once(socket, 'close').catch(() => undefined);
    socket.close(1000);
    if (!(await withTimeout(closed, CLOSE_TIMEOUT_MS)).done) socket.terminate();
    this.setReady(false);
  }

  private connect(): void {
    const base = this.options.url.replace(/^http/, 'ws');
    const resume = this.connectionId
      ? `?connection_id=${encodeURIComponent(this.connectionId)}&sequence_number=${this.nextSeq}`
      : '';
    const socket = new WebSocket(`${base}/api/v4/websocket${resume}`, {
      headers: { Authorization: `Bearer ${this.options.token}` },
      handshakeTimeout: 10_000,
    });
    this.socket = socket;
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (raw) => this.onFrame(socket, raw.toString()));
    socket.on('error', (error) =>
      this.options.log.warn({ err: error.message }, 'mattermost websocket error'),
    );
    socket.on('close', (code) => this.onClose(socket, code));
  }

  private onOpen(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.options.log.info({ resumed: Boolean(this.connectionId) }, 'mattermost websocket connected');
    this.awaitingPong = false;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.ping(socket), this.options.pingIntervalMs);
    this.ping(socket);
    this.setReady(true);
  }

  private onFrame(socket: WebSocket, text: string): void {
    if (socket !== this.socket) return;
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text);
    } catch {
      this.options.log.warn('mattermost websocket sent a frame that is not JSON');
      return;
    }
    this.attempt = 0;
    if ('seq_reply' in frame) {
      this.awaitingPong = false;
      const data = frame.data as { server_time?: unknown } | undefined;
      if (typeof data?.server_time === 'number') this.options.onServerTime(data.server_time);
      return;
    }
    const event = frame as unknown as WebSocketEvent;
    if (typeof event.event !== 'string') return;
    if (event.event === 'hello') {
      this.onHello(event);
      return;
    }
    if (typeof event.seq === 'number') {
      if (event.seq < this.nextSeq) return; // already seen: replayed twice
      if (event.seq > this.nextSeq) {
        // Events were skipped: reconnect from the one expected; the server replays or says hello.
        this.options.log.warn(
          { expected: this.nextSeq, got: event.seq },
          'mattermost websocket missed events',
        );
        socket.close(4001, 'sequence mismatch');
        return;
      }
      this.nextSeq = event.seq + 1;
    }
    this.options.onEvent(event);
  }

  private onHello(event: WebSocketEvent): void {
    const id = typeof event.data.connection_id === 'string' ? event.data.connection_id : '';
    const lost = this.connectionId !== '' && id !== this.connectionId;
    this.connectionId = id;
    this.nextSeq = (typeof event.seq === 'number' ? event.seq : 0) + 1;
    if (lost) {
      this.options.log.info('mattermost websocket started a new connection; catching up over REST');
      this.options.onResync();
    }
  }

  private ping(socket: WebSocket): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (this.awaitingPong) {
      this.options.log.warn('mattermost websocket ping unanswered; reconnecting');
      socket.terminate();
      return;
    }
    this.awaitingPong = true;
    socket.send(JSON.stringify({ action: 'ping', seq: this.clientSeq++ }));
  }

  private onClose(socket: WebSocket, code: number): void {
    if (socket !== this.socket) return;
    clearInterval(this.pingTimer);
    this.socket = undefined;
    this.setReady(false);
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.options.minDelayMs, this.options.maxDelayMs);
    this.attempt += 1;
    this.options.log.warn({ code, retryInMs: delay, attempt: this.attempt }, 'mattermost websocket closed');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.options.onReadyChange(ready);
    if (ready) for (const wake of this.readyWaiters.splice(0)) wake();
  }
}
