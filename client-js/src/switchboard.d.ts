// Types of Switchboard's JavaScript client (hand-written; the client itself is plain ES2020).

/** A transport the client can use, in the default order of preference. */
export type TransportName = 'websocket' | 'sse' | 'stream' | 'longpoll' | 'jsonp' | 'iframe' | 'poll';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** A position `'EPOCH:OFFSET'` ("everything up to OFFSET in EPOCH"), or the same as an object. */
export type Position = string | { epoch: string; offset: number };

export interface SwitchboardOptions {
  /** A client token (JWT); sent as `token=` on GETs and `Authorization: Bearer` on POSTs. */
  token?: string | null;
  /** The transports to use, in order (default: all, `websocket` first; those this environment lacks are skipped). */
  transports?: TransportName[];
  /** Milliseconds a transport gets to open before the next one is tried (8000). */
  connectTimeout?: number;
  /** Milliseconds a transport that failed to open is passed over (60000). */
  skipFor?: number;
  /** Backoff base in milliseconds: retry n waits a random time below min(max, base * 2^n) (500). */
  reconnectDelay?: number;
  /** Backoff cap in milliseconds (30000). */
  maxReconnectDelay?: number;
  /** Milliseconds an operation may take: publish, history, presence, a poll beyond its wait (10000). */
  timeout?: number;
  /** Milliseconds between polls of the `poll` transport (1000). */
  pollInterval?: number;
  /** Seconds the server may hold a long-poll (`longpoll`, `jsonp`) (25, at most 60). */
  longPollWait?: number;
  /** Milliseconds of silence after which a heartbeating transport counts as dead (65000). */
  idleTimeout?: number;
  /** Advanced, for tests: transport implementations by name instead of the built-in ones. */
  transportImpls?: Record<string, TransportClass>;
  /** Advanced, for tests: the global object to find WebSocket, fetch, document and events on. */
  env?: object;
  /** Advanced, for tests: the random source of the backoff jitter (default Math.random). */
  random?: () => number;
}

/** Every item the server delivers; `message` items carry `event`, `data`, `epoch`, `offset`, `ts`. */
export interface Item {
  type: 'message' | 'gap' | 'join' | 'leave' | 'error' | string;
  channel?: string;
  event?: string;
  data?: unknown;
  epoch?: string;
  offset?: number;
  ts?: number;
  from?: string;
  user?: string;
  info?: unknown;
  [key: string]: unknown;
}

export interface Message extends Item {
  type: 'message';
  channel: string;
  event: string;
  data: unknown;
  epoch: string;
  offset: number;
  ts: number;
}

export interface Gap extends Item {
  type: 'gap';
  channel: string;
  epoch: string;
  offset: number;
}

export interface PresenceItem extends Item {
  type: 'join' | 'leave';
  channel: string;
  user: string;
  info?: unknown;
}

export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
  /** The transport now in use, on `connected`. */
  transport?: TransportName;
  /** Why the connection went down, on `reconnecting` (and `disconnected` after a fatal error). */
  error?: SwitchboardError;
}

export interface HistoryAnswer {
  messages: Item[];
  cursor: string;
}

export interface Member {
  user: string;
  info?: unknown;
}

/** An error from the server or the network: `status` is the HTTP status or WebSocket close code (0: none). */
export class SwitchboardError extends Error {
  constructor(status: number, code: string, reason?: string, fatal?: boolean);
  readonly status: number;
  /** The server's short code (`forbidden`, `bad_channel`, …) or the client's (`network`, `timeout`, `closed`). */
  readonly code: string;
  readonly reason: string;
  /** True when reconnecting as is cannot help (bad token, disconnected by the server). */
  readonly fatal: boolean;
}

/** One subscribed channel. */
export class Subscription {
  readonly channel: string;
  /** False once unsubscribed, refused, or the client closed. */
  readonly active: boolean;
  /** `'EPOCH:OFFSET'` of the last message delivered (or where delivery starts); null until known. */
  readonly position: string | null;
  /** Once, when the server first has the subscription: what is published from then on reaches it. */
  on(event: 'subscribed', fn: (info: { channel: string; position: string | null }) => void): () => void;
  /** Each message once, in order. */
  on(event: 'message', fn: (message: Message) => void): () => void;
  /** Messages were lost for good (history no longer has them): reload state; delivery continues after. */
  on(event: 'gap', fn: (gap: Gap) => void): () => void;
  on(event: 'join' | 'leave', fn: (item: PresenceItem) => void): () => void;
  /** The server refused the channel; the subscription is over. */
  on(event: 'error', fn: (error: SwitchboardError) => void): () => void;
  off(event: string, fn: (value: any) => void): this;
  unsubscribe(): void;
}

/** A client of one Switchboard server. */
export class Switchboard {
  /** `url`: the server, e.g. `https://rt.example.com` (default in a browser: the page's origin). */
  constructor(url?: string | null, options?: SwitchboardOptions);
  readonly url: string;
  readonly state: ConnectionState;
  /** The transport in use, null when not connected. */
  readonly transport: TransportName | null;
  /** Subscribes from now, or from `since` (every message after it is delivered first). */
  subscribe(channel: string, options?: { since?: Position | null }): Subscription;
  /** Publishes; resolves with the message's position. Over the WebSocket when connected, else `POST /send`. */
  publish(channel: string, event: string | null | undefined, data: unknown): Promise<{ epoch: string; offset: number }>;
  /** A channel's history: the newest `limit` (default 100), or the messages after `since`. */
  history(channel: string, options?: { since?: Position | null; limit?: number }): Promise<HistoryAnswer>;
  /** Members of a presence channel (refused until the server has tokens: the promise rejects with 401/403). */
  presence(channel: string): Promise<Member[]>;
  on(event: 'state', fn: (change: StateChange) => void): () => void;
  /** A fatal connection error, or an `error` item not tied to a request. */
  on(event: 'error', fn: (error: SwitchboardError) => void): () => void;
  off(event: string, fn: (value: any) => void): this;
  /** Closes the transport and ends every subscription; the client reconnects no more. */
  close(): void;
  static readonly SwitchboardError: typeof SwitchboardError;
  static readonly TRANSPORTS: TransportName[];
}

/** What a transport is given by the client (advanced: for `transportImpls`). */
export interface TransportLink {
  readonly base: string;
  readonly token: string | null;
  readonly timeout: number;
  readonly pollInterval: number;
  readonly longPollWait: number;
  channels(): string[];
  cursor(channels: string[]): string;
  learn(channels: string[], cursor: string): void;
  alive(): void;
  opened(): void;
  item(item: Item): void;
  subscribed(channel: string, reply: { epoch: string; offset: number }): void;
  refused(channel: string, error: SwitchboardError): void;
  closed(error?: SwitchboardError): void;
}

export interface Transport {
  heartbeat?: boolean;
  session?: string | null;
  open(): void;
  update(): void;
  close(): void;
  request?(frame: object): Promise<any>;
  check?(): void;
}

export interface TransportClass {
  new (link: TransportLink): Transport;
  supported(env: any, base: string): boolean;
}
