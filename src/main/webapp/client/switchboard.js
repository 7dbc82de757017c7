/**
 * Switchboard's JavaScript client: the wire contract (docs/PROTOCOL.md) for any web app, with no DOM
 * in it, so it runs in a browser, a worker or Node alike. It keeps one socket alive (ping, token
 * refresh, jittered backoff), rejoins every room after a reconnect with `since` so nothing is
 * missed, drops messages it has already delivered, and turns `ack` / `error` into promises.
 * Load it from the server: `import { SwitchboardClient } from '/client/switchboard.js'` (docs/CLIENT.md).
 *
 * @module switchboard
 */

/** Room names and user ids (the contract's *names*). */
export const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

// The server closes the socket (1009) for frames over 64 KiB. Refuse bigger ones here, so a huge
// paste becomes an error instead of a disconnect.
const MAX_FRAME_BYTES = 60 * 1024;
const MAX_REF = 'x'.repeat(64);
const OPEN = 1;                                   // WebSocket.OPEN, without needing the global
const MAX_TIMEOUT_MS = 2 ** 31 - 1;               // setTimeout fires at once above this
const MAX_SEEN = 5_000;                           // ids remembered per room for dedupe
const JOIN_ERRORS_WITHOUT_REF = ['forbidden', 'invalid_name'];

/**
 * Defaults of the options of {@link SwitchboardClient}; every one can be overridden.
 */
export const DEFAULTS = Object.freeze({
  pingEveryMs: 25_000,
  backoffStartMs: 500,
  backoffMaxMs: 10_000,
  maxRefusals: 5,            // consecutive 1008 closes without a welcome before giving up
  refreshLeadMs: 60_000,     // send `refresh` this long before the token expires
  tokenRetryMs: 10_000,      // a failed refresh is tried again this often while the token lives
  ackTimeoutMs: 20_000,
  historyTimeoutMs: 15_000,
});

/**
 * An `error` frame, a refusal of the client itself (`too_large`, `disconnected`, `timeout`, `closed`,
 * `left`) or a token failure, as a rejection reason.
 */
export class SwitchboardError extends Error {
  /**
   * @param {string} code the contract's error code, or one of the client's own
   * @param {string} message
   * @param {{ref?: string, retryAfterMs?: number}} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message);
    this.name = 'SwitchboardError';
    /** @type {string} */ this.code = code;
    /** @type {string|undefined} */ this.ref = extra.ref;
    /** @type {number|undefined} */ this.retryAfterMs = extra.retryAfterMs;
  }

  /** @param {object} frame an `error` frame */
  static fromFrame(frame) {
    const retry = Number(frame.retryAfterMs);
    return new SwitchboardError(String(frame.code || 'error'), String(frame.message || 'unknown error'), {
      ref: frame.ref != null ? String(frame.ref) : undefined,
      retryAfterMs: retry > 0 ? retry : undefined,
    });
  }
}

/** A token request that failed; `fatal` when asking again cannot help (dev tokens turned off). */
export class TokenError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the server was not reached
   * @param {string} message
   * @param {{fatal?: boolean, reason?: string}} [extra] reason: a short text for a status line
   */
  constructor(status, message, extra = {}) {
    super(message);
    this.name = 'TokenError';
    this.status = status;
    this.fatal = Boolean(extra.fatal);
    this.reason = extra.reason;
  }
}

/**
 * Asks the server for a development token (`POST /api/auth/token`, only when the server allows it).
 * @param {string|URL} base the server's base URL, e.g. `location.href`
 * @param {string} user
 * @param {string} [name] display name
 * @returns {Promise<{token: string, expiresAt: number}>} expiresAt in ms since the epoch
 * @throws {TokenError}
 */
export async function requestDevToken(base, user, name) {
  let response;
  try {
    response = await fetch(new URL('api/auth/token', base), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(name ? { user, name } : { user }),
      cache: 'no-store',
    });
  } catch {
    throw new TokenError(0, 'Cannot reach the server. Check the connection and try again.');
  }
  if (response.status === 404) {
    throw new TokenError(404, 'Picking a name is turned off on this server (dev tokens are disabled), ' +
      'so this page cannot sign you in.', { fatal: true, reason: 'Dev tokens are turned off on this server.' });
  }
  if (!response.ok) throw new TokenError(response.status, await problemText(response));
  const body = await response.json().catch(() => null);
  if (!body || typeof body.token !== 'string') {
    throw new TokenError(response.status, 'The server answered without a token.');
  }
  return { token: body.token, expiresAt: Date.parse(body.expiresAt) || 0 };
}

/**
 * Text for an RFC 9457 problem answer, falling back to the status line.
 * @param {Response} response
 * @returns {Promise<string>}
 */
export async function problemText(response) {
  const fallback = `HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}`;
  try {
    const text = await response.text();
    try {
      const problem = JSON.parse(text);
      const title = problem.title || fallback;
      return problem.detail ? `${title}: ${problem.detail}` : String(title);
    } catch {
      return text ? `${fallback}: ${text.slice(0, 200)}` : fallback;
    }
  } catch {
    return fallback;
  }
}

/**
 * Whether a `send` of this text to this room fits in a frame the server accepts.
 * @param {string} room
 * @param {string} text
 */
export function messageFits(room, text) {
  return frameBytes({ type: 'send', room, text, ref: MAX_REF }) <= MAX_FRAME_BYTES;
}

function frameBytes(frame) {
  return new TextEncoder().encode(JSON.stringify(frame)).length;
}

/**
 * Backoff before reconnect attempt `attempt` (0-based): doubling from `startMs`, at most `maxMs`,
 * ±20 % jitter so that the thousands of clients a dying node drops don't return in lockstep.
 * @param {number} attempt
 * @param {{backoffStartMs: number, backoffMaxMs: number}} options
 * @param {() => number} [random]
 */
export function backoffDelay(attempt, options = DEFAULTS, random = Math.random) {
  const base = Math.min(options.backoffMaxMs, options.backoffStartMs * 2 ** attempt);
  return Math.min(options.backoffMaxMs, Math.round(base * (0.8 + random() * 0.4)));
}

/**
 * @typedef {object} Token
 * @property {string} token the JWT
 * @property {number} [expiresAt] expiry in ms since the epoch; 0 or absent: never refreshed
 */

/**
 * @typedef {object} ClientOptions
 * @property {string|URL} url the socket endpoint, e.g. `wss://chat.example.com/ws` (http: and https: are turned into ws: and wss:)
 * @property {string|Token} [token] the first token; without it the provider is asked
 * @property {() => Promise<Token>} [tokenProvider] a fresh token: before expiry (sent as `refresh`) and after a refusal.
 *   Throw an error with `fatal: true` when asking again cannot help.
 * @property {typeof WebSocket} [WebSocket] the socket class (a fake in tests)
 * @property {() => number} [random] jitter source, Math.random by default
 * @property {() => number} [now] clock in ms since the epoch, Date.now by default
 * @property {number} [pingEveryMs] see {@link DEFAULTS}, likewise the options below
 * @property {number} [backoffStartMs]
 * @property {number} [backoffMaxMs]
 * @property {number} [maxRefusals]
 * @property {number} [refreshLeadMs]
 * @property {number} [tokenRetryMs]
 * @property {number} [ackTimeoutMs]
 * @property {number} [historyTimeoutMs]
 */

/**
 * One user's connection to Switchboard.
 *
 * Events (listen with {@link SwitchboardClient#on}, or `addEventListener` and read `event.detail`):
 * - `state` `{state, reason}`: `connecting` | `connected` | `reconnecting` | `disconnected`
 * - `welcome`, `joined`, `left`, `message`, `direct`, `ack`, `member_joined`, `member_left`,
 *   `typing`, `presence`, `history`, `notification`: the server's frame of that type. `message`
 *   and `direct` come once per id; a recovered `joined` holds only messages not yet delivered.
 * - `join_error` `{room, error}`: a join (first or after a reconnect) was refused; the room is dropped
 * - `disconnect` `{code, reason}`: the socket closed; unacknowledged sends were rejected
 * - `error`: an `error` frame that answers no request of this client, or `{code, message}` of the
 *   client itself (`connection_refused`, `token`, `token_refresh`, `connection`)
 * - `frame`: every frame received, before its own event
 */
export class SwitchboardClient extends EventTarget {
  #options;
  #WebSocket;
  #random;
  #now;
  #tokenProvider;
  #token = null;
  #expiresAt = 0;
  #refreshTimer = null;

  #socket = null;
  #welcomed = false;
  #started = false;
  #generation = 0;          // bumped by close(): answers to an older session are dropped
  #state = 'disconnected';
  #reason = null;
  #lastFrameAt = 0;
  #pingTimer = null;
  #reconnect = { attempt: 0, timer: null, dueAt: 0, needFreshToken: false, refusals: 0, inFlight: false };

  #user = null;
  #name = null;
  #node = null;
  #status = 'online';
  #refCounter = 0;
  #rooms = new Map();       // name -> { name, lastSeq, everJoined, joined, joinRef, seen: Map(id -> seq), waiters }
  #joinQueue = [];          // room names awaiting `joined`, oldest first (for ref-less errors)
  #pendingAcks = new Map(); // ref -> { resolve, reject, timer }
  #pendingHistory = [];     // { key, ref, resolve, reject, timer }, oldest first
  #seenDirect = new Map();  // id -> true, bounded
  #wrappers = new WeakMap();

  /** @param {ClientOptions} options */
  constructor(options) {
    super();
    if (!options || !options.url) throw new TypeError('SwitchboardClient needs options.url');
    this.#options = { ...DEFAULTS, ...options };
    this.#WebSocket = options.WebSocket || globalThis.WebSocket;
    this.#random = options.random || Math.random;
    this.#now = options.now || Date.now;
    this.#tokenProvider = options.tokenProvider || null;
    if (options.token) this.#applyToken(typeof options.token === 'string' ? { token: options.token } : options.token);
  }

  // ------------------------------------------------------------------------------------------
  // Public API
  // ------------------------------------------------------------------------------------------

  /** @returns {'connecting'|'connected'|'reconnecting'|'disconnected'} */
  get state() { return this.#state; }
  /** Why the client gave up reconnecting (state `disconnected`), or null. */
  get reason() { return this.#reason; }
  /** True when `welcome` came on a socket that is still open. */
  get connected() { return this.#state === 'connected' && this.#socket?.readyState === OPEN; }
  /** When the next reconnect attempt is due (ms since the epoch), 0 when none is scheduled. */
  get reconnectDueAt() { return this.#reconnect.timer ? this.#reconnect.dueAt : 0; }
  /** The current token (for HTTP calls with `Authorization: Bearer`). */
  get token() { return this.#token; }
  /** From `welcome`: the user id, display name and serving node. */
  get user() { return this.#user; }
  get name() { return this.#name; }
  get node() { return this.#node; }
  /** Room names this client holds (joined, or to be joined once connected). */
  get rooms() { return [...this.#rooms.keys()]; }

  /**
   * Listens to an event; the listener gets the frame (or detail) itself.
   * @param {string} type
   * @param {(detail: any) => void} listener
   * @returns {() => void} a function that removes the listener
   */
  on(type, listener) {
    const wrapped = (event) => {
      try {
        listener(event.detail);
      } catch (error) {
        console.error(`Switchboard: a "${type}" listener failed`, error);
      }
    };
    let byType = this.#wrappers.get(listener);
    if (!byType) this.#wrappers.set(listener, byType = new Map());
    byType.set(type, wrapped);
    this.addEventListener(type, wrapped);
    return () => this.off(type, listener);
  }

  /** Removes a listener added with {@link SwitchboardClient#on}. */
  off(type, listener) {
    const wrapped = this.#wrappers.get(listener)?.get(type);
    if (wrapped) this.removeEventListener(type, wrapped);
  }

  /** Opens the socket (asking the token provider first when there is no token yet). */
  connect() {
    if (this.#started) return;
    if (!this.#token && !this.#tokenProvider) throw new TypeError('SwitchboardClient needs a token or a tokenProvider');
    this.#started = true;
    if (!this.#token) {
      this.#reconnect.needFreshToken = true;
      this.#reconnectAttempt();
    } else {
      this.#open();
    }
  }

  /** Closes the socket for good: no reconnect; every pending promise is rejected with `closed`. */
  close() {
    this.#generation += 1;
    this.#started = false;
    clearTimeout(this.#refreshTimer);
    this.#cancelReconnect();
    this.#stopPing();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      detach(socket);
      try { socket.close(1000, 'signed out'); } catch { /* already closed */ }
    }
    const closed = () => new SwitchboardError('closed', 'The client was closed.');
    this.#failPending(closed);
    for (const room of this.#rooms.values()) rejectWaiters(room, closed());
    this.#rooms.clear();
    this.#joinQueue = [];
    Object.assign(this.#reconnect, { attempt: 0, needFreshToken: false, refusals: 0, inFlight: false });
    this.#setState('disconnected');
  }

  /**
   * Reconnects at once instead of waiting out the backoff (e.g. when the network is back).
   * @param {{resetBackoff?: boolean}} [options] resetBackoff (default true): also forget earlier
   *   failures and refusals, as after the user asked for it
   */
  reconnectNow({ resetBackoff = true } = {}) {
    if (this.#socket || !this.#started) return;
    if (resetBackoff) {
      this.#reconnect.refusals = 0;
      this.#reconnect.attempt = 0;
    }
    this.#reconnectAttempt();
  }

  /**
   * Joins a room, now or as soon as the socket is up, and again after every reconnect (with `since`).
   * @param {string} room
   * @returns {Promise<object>} the first `joined` frame; rejects with the join's `error`, or when
   *   the room is left or the client closed before that
   */
  join(room) {
    let entry = this.#rooms.get(room);
    if (!entry) {
      entry = { name: room, lastSeq: 0, everJoined: false, joined: false, joinRef: null, seen: new Map(), waiters: [], lastJoined: null };
      this.#rooms.set(room, entry);
    }
    if (entry.joined) return Promise.resolve(entry.lastJoined);
    const promise = new Promise((resolve, reject) => entry.waiters.push({ resolve, reject }));
    if (this.connected && !entry.joinRef) this.#sendJoin(entry);
    return promise;
  }

  /**
   * Leaves a room: no more rejoins; a join still waiting is rejected with `left`.
   * @param {string} room
   */
  leave(room) {
    const entry = this.#rooms.get(room);
    if (!entry) return;
    this.#rooms.delete(room);
    // The join may still be in flight: it stays in the queue so a ref-less error still lines up.
    rejectWaiters(entry, new SwitchboardError('left', `Left #${room} before it was joined.`));
    this.#sendFrame({ type: 'leave', room });
  }

  /**
   * Posts to a joined room.
   * @param {string} room
   * @param {string} text
   * @returns {Promise<{ref: string, id: string, seq: number}> & {ref: string}} on `ack`; rejects
   *   with a {@link SwitchboardError}: the `error` frame's code, `too_large`, `disconnected` (not
   *   sent, or the socket dropped before the ack: it may have been accepted) or `timeout` (a late
   *   `ack` still comes as an `ack` event). The promise's own `ref` is the frame's ref.
   */
  send(room, text) {
    return this.#request({ type: 'send', room, text }, 'msg');
  }

  /**
   * Sends a private message.
   * @param {string} to user id
   * @param {string} text
   * @returns {Promise<{ref: string, id: string}>} like {@link SwitchboardClient#send}
   */
  direct(to, text) {
    return this.#request({ type: 'direct', to, text }, 'dm');
  }

  /**
   * Older messages of a room (`room`) or of the conversation with a user (`with`).
   * @param {{room?: string, with?: string, before?: number|string, limit?: number}} query
   * @returns {Promise<object>} the `history` frame; rejects like {@link SwitchboardClient#send}
   */
  history(query) {
    const frame = { type: 'history', ...query, ref: this.#newRef('hist') };
    const key = historyKey(frame);
    return new Promise((resolve, reject) => {
      if (!this.#sendFrame(frame)) {
        reject(new SwitchboardError('disconnected', 'Not connected.', { ref: frame.ref }));
        return;
      }
      const pending = { key, ref: frame.ref, resolve, reject, timer: null };
      pending.timer = setTimeout(() => {
        this.#pendingHistory.splice(this.#pendingHistory.indexOf(pending), 1);
        reject(new SwitchboardError('timeout', 'No history answer from the server.', { ref: frame.ref }));
      }, this.#options.historyTimeoutMs);
      this.#pendingHistory.push(pending);
    });
  }

  /**
   * Sends the typing indicator for a joined room.
   * @returns {boolean} whether it went out
   */
  typing(room, active) {
    return this.#sendFrame({ type: 'typing', room, active: Boolean(active) });
  }

  /**
   * Sets this user's status; it is sent again on every new socket (which starts `online`).
   * @param {'online'|'away'|'busy'} status
   */
  setStatus(status) {
    this.#status = status;
    return this.#sendFrame({ type: 'status', status });
  }

  // ------------------------------------------------------------------------------------------
  // Connection: open, close, reconnect with backoff, ping, token refresh
  // ------------------------------------------------------------------------------------------

  #open() {
    this.#cancelReconnect();
    let socket;
    try {
      socket = new this.#WebSocket(this.#socketUrl());
    } catch (error) {
      this.#setState('disconnected', `Cannot open the socket: ${error.message}`);
      this.#emit('error', { code: 'connection', message: `Cannot open the socket: ${error.message}` });
      return;
    }
    this.#socket = socket;
    this.#welcomed = false;
    this.#lastFrameAt = this.#now();
    this.#setState(this.#reconnect.attempt > 0 ? 'reconnecting' : 'connecting');
    socket.onmessage = (event) => { if (socket === this.#socket) this.#handleFrame(event.data); };
    socket.onclose = (event) => this.#onSocketClosed(socket, event.code, event.reason);
    socket.onerror = () => { /* a close event always follows; it carries what we need */ };
  }

  #socketUrl() {
    const url = new URL(this.#options.url);
    if (url.protocol === 'http:') url.protocol = 'ws:';
    if (url.protocol === 'https:') url.protocol = 'wss:';
    url.searchParams.set('token', this.#token);
    return url.toString();
  }

  /** Drops a socket that stopped answering; a browser may take minutes to notice on its own. */
  #abandonSocket(reason) {
    const socket = this.#socket;
    if (!socket) return;
    detach(socket);
    try { socket.close(4000, reason); } catch { /* ignore */ }
    this.#onSocketClosed(socket, 4000, reason);
  }

  #onSocketClosed(socket, code, reason) {
    if (socket !== this.#socket) return;     // a socket already replaced or abandoned
    this.#socket = null;
    this.#stopPing();
    const welcomed = this.#welcomed;
    this.#resetAfterDisconnect();

    const r = this.#reconnect;
    const refused = code === 1008;
    if (refused) r.refusals += 1;
    // 1008 = token expired or refused. A socket that died before `welcome` may have been refused
    // at the handshake (a 401 shows up as 1006 in browsers), so it also gets a fresh token.
    r.needFreshToken = refused || !welcomed;
    this.#emit('disconnect', { code, reason });

    if (r.refusals >= this.#options.maxRefusals) {
      const detail = reason ? `${code}: ${reason}` : String(code);
      this.#setState('disconnected', `The server keeps refusing the connection (close ${detail}).`);
      this.#emit('error', {
        code: 'connection_refused',
        message: `The server refused the connection ${this.#options.maxRefusals} times in a row.`,
      });
      return;
    }
    this.#scheduleReconnect();
  }

  /** The new socket has joined nothing, and unacknowledged sends may or may not have landed. */
  #resetAfterDisconnect() {
    this.#welcomed = false;
    this.#joinQueue = [];
    for (const room of this.#rooms.values()) {
      room.joined = false;
      room.joinRef = null;
    }
    this.#failPending(() => new SwitchboardError('disconnected',
      'Connection lost before the server confirmed this.'));
  }

  #failPending(error) {
    const acks = [...this.#pendingAcks.entries()];
    this.#pendingAcks.clear();
    for (const [ref, pending] of acks) {
      clearTimeout(pending.timer);
      pending.reject(Object.assign(error(), { ref }));
    }
    const history = this.#pendingHistory;
    this.#pendingHistory = [];
    for (const pending of history) {
      clearTimeout(pending.timer);
      pending.reject(Object.assign(error(), { ref: pending.ref }));
    }
  }

  #scheduleReconnect() {
    this.#cancelReconnect();
    const r = this.#reconnect;
    const delay = backoffDelay(r.attempt, this.#options, this.#random);
    r.attempt += 1;
    r.dueAt = this.#now() + delay;
    r.timer = setTimeout(() => this.#reconnectAttempt(), delay);
    this.#setState('reconnecting');
  }

  #cancelReconnect() {
    clearTimeout(this.#reconnect.timer);
    this.#reconnect.timer = null;
  }

  async #reconnectAttempt() {
    const r = this.#reconnect;
    if (r.inFlight || !this.#started) return;
    this.#cancelReconnect();
    if (r.needFreshToken && this.#tokenProvider) {
      r.inFlight = true;
      this.#setState(this.#state === 'disconnected' && r.attempt === 0 ? 'connecting' : 'reconnecting');
      const generation = this.#generation;
      let token;
      try {
        token = await this.#tokenProvider();
      } catch (error) {
        if (generation !== this.#generation) return;
        if (error && error.fatal) {
          this.#setState('disconnected', error.reason || error.message);
          this.#emit('error', { code: 'token', message: String(error.message) });
          return;
        }
        this.#scheduleReconnect();              // server unreachable: keep backing off
        return;
      } finally {
        r.inFlight = false;
      }
      if (generation !== this.#generation) return;  // closed while the token was on its way
      this.#applyToken(token);
      r.needFreshToken = false;
    }
    this.#open();
  }

  #applyToken(token) {
    this.#token = token.token;
    this.#expiresAt = Number(token.expiresAt) || 0;
    this.#scheduleTokenRefresh();
  }

  /** A `refresh` frame about a minute before expiry keeps the socket open. */
  #scheduleTokenRefresh() {
    clearTimeout(this.#refreshTimer);
    if (!this.#expiresAt || !this.#tokenProvider) return;
    const lead = this.#options.refreshLeadMs;
    const left = this.#expiresAt - this.#now();
    // Short-lived tokens (under two leads) are refreshed half way instead.
    const delay = left > 2 * lead ? left - lead : Math.max(1_000, left / 2);
    this.#refreshTimer = setTimeout(() => this.#refreshToken(), Math.min(delay, MAX_TIMEOUT_MS));
  }

  async #refreshToken() {
    const generation = this.#generation;
    try {
      const token = await this.#tokenProvider();
      if (generation !== this.#generation) return;
      this.#applyToken(token);
      this.#sendFrame({ type: 'refresh', token: token.token });
    } catch (error) {
      if (generation !== this.#generation) return;
      if (error && error.fatal) {
        this.#emit('error', { code: 'token_refresh',
          message: `${error.message} The connection ends when the current token expires.` });
        return;
      }
      // Try again while the old token still lives; after that the close (1008) path takes over.
      if (this.#now() + this.#options.tokenRetryMs < this.#expiresAt) {
        this.#refreshTimer = setTimeout(() => this.#refreshToken(), this.#options.tokenRetryMs);
      }
    }
  }

  #startPing() {
    this.#stopPing();
    // Two pings without a single frame back: the TCP connection is dead even if the runtime has
    // not noticed yet (half-open sockets can stay "open" for minutes).
    const silenceLimit = 2 * this.#options.pingEveryMs + 5_000;
    this.#pingTimer = setInterval(() => {
      if (this.#now() - this.#lastFrameAt > silenceLimit) {
        this.#abandonSocket('no answer to ping');
        return;
      }
      this.#sendFrame({ type: 'ping' });
    }, this.#options.pingEveryMs);
  }

  #stopPing() {
    clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  #setState(state, reason) {
    this.#state = state;
    this.#reason = reason || null;
    this.#emit('state', { state, reason: this.#reason });
  }

  #sendFrame(frame) {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  #newRef(prefix) {
    this.#refCounter += 1;
    const random = Math.random().toString(36).slice(2, 10);
    return `${prefix}-${Date.now().toString(36)}-${this.#refCounter}-${random}`; // < 64 chars
  }

  /** A frame answered by `ack` (or `error` with its ref): a promise with a bounded wait. */
  #request(body, prefix) {
    const frame = { ...body, ref: this.#newRef(prefix) };
    const promise = new Promise((resolve, reject) => {
      if (frameBytes(frame) > MAX_FRAME_BYTES) {
        reject(new SwitchboardError('too_large', 'This message is too long to send.', { ref: frame.ref }));
        return;
      }
      if (!this.connected || !this.#sendFrame(frame)) {
        reject(new SwitchboardError('disconnected', 'Not connected.', { ref: frame.ref }));
        return;
      }
      const timer = setTimeout(() => {
        this.#pendingAcks.delete(frame.ref);
        // It may still be accepted: a late `ack` still comes as an `ack` event with this ref.
        reject(new SwitchboardError('timeout', 'No confirmation from the server yet.', { ref: frame.ref }));
      }, this.#options.ackTimeoutMs);
      this.#pendingAcks.set(frame.ref, { resolve, reject, timer });
    });
    promise.ref = frame.ref;
    return promise;
  }

  #emit(type, detail) {
    // CustomEvent is global in browsers and Node 19+; Node 18 has Event only.
    const event = typeof CustomEvent === 'function'
      ? new CustomEvent(type, { detail }) : Object.assign(new Event(type), { detail });
    this.dispatchEvent(event);
  }

  // ------------------------------------------------------------------------------------------
  // Incoming frames
  // ------------------------------------------------------------------------------------------

  #handleFrame(raw) {
    this.#lastFrameAt = this.#now();
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      console.warn('Switchboard: ignoring a frame that is not JSON', raw);
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    this.#emit('frame', frame);
    switch (frame.type) {
      case 'welcome': this.#onWelcome(frame); break;
      case 'joined': this.#onJoined(frame); break;
      case 'left': this.#onLeft(frame); break;
      case 'message': this.#onMessage(frame); break;
      case 'direct': this.#onDirect(frame); break;
      case 'ack': this.#onAck(frame); break;
      case 'history': this.#onHistory(frame); break;
      case 'error': this.#onError(frame); break;
      case 'pong': break;                       // lastFrameAt is all a pong is for
      case 'presence':
        // Another socket of ours set the status: a new socket of this client sends that one.
        if (frame.user === this.#user && ['online', 'away', 'busy'].includes(frame.status)) this.#status = frame.status;
        this.#emit(frame.type, frame);
        break;
      case 'member_joined': case 'member_left': case 'typing': case 'notification':
        this.#emit(frame.type, frame);
        break;
      default: break;                           // unknown types are ignored: the contract may grow
    }
  }

  #onWelcome(frame) {
    this.#welcomed = true;
    this.#user = frame.user != null ? String(frame.user) : null;
    this.#name = frame.name != null ? String(frame.name) : this.#user;
    this.#node = frame.node != null ? String(frame.node) : null;
    Object.assign(this.#reconnect, { attempt: 0, refusals: 0, needFreshToken: false });
    this.#setState('connected');
    this.#startPing();
    // Presence is per socket on the server: a new socket starts "online".
    if (this.#status !== 'online') this.#sendFrame({ type: 'status', status: this.#status });
    for (const room of this.#rooms.values()) this.#sendJoin(room);
    this.#emit('welcome', frame);
  }

  #sendJoin(room) {
    room.joinRef = this.#newRef('join');
    this.#joinQueue.push(room.name);
    const frame = { type: 'join', room: room.name, ref: room.joinRef };
    // After a reconnect ask for everything after the last seq we saw, so no message is missed.
    if (room.everJoined) frame.since = room.lastSeq;
    this.#sendFrame(frame);
  }

  #dequeueJoin(name) {
    const index = this.#joinQueue.indexOf(name);
    if (index >= 0) this.#joinQueue.splice(index, 1);
  }

  #onJoined(frame) {
    this.#dequeueJoin(frame.room);
    const room = this.#rooms.get(frame.room);
    if (!room) return;                          // left while the join was in flight
    room.joinRef = null;
    const latestSeq = Number(frame.seq) || 0;
    const recovered = frame.recovered === true;
    if (!recovered) {
      // A fresh page of the latest messages: forget all but what raced ahead of it.
      for (const [id, seq] of room.seen) if (!(seq > latestSeq)) room.seen.delete(id);
    }
    const all = Array.isArray(frame.messages) ? frame.messages : [];
    // A non-recovered page is handed over whole (it replaces what the app shows); a recovered
    // one only with what was not delivered yet.
    const messages = all.filter((m) => isMessage(m) && (this.#remember(room, m) || !recovered));
    room.lastSeq = Math.max(room.lastSeq, latestSeq);
    room.joined = true;
    room.everJoined = true;
    const joined = { ...frame, messages };
    room.lastJoined = joined;
    this.#emit('joined', joined);
    const waiters = room.waiters;
    room.waiters = [];
    for (const waiter of waiters) waiter.resolve(joined);
  }

  /** Records a delivered room message; false when it was delivered before. */
  #remember(room, message) {
    const id = String(message.id);
    if (room.seen.has(id)) return false;
    room.seen.set(id, Number(message.seq));
    if (room.seen.size > MAX_SEEN) room.seen.delete(room.seen.keys().next().value);
    room.lastSeq = Math.max(room.lastSeq, Number(message.seq));
    return true;
  }

  #failJoin(name, frame) {
    this.#dequeueJoin(name);
    const room = this.#rooms.get(name);
    if (!room) return;
    this.#rooms.delete(name);
    const error = SwitchboardError.fromFrame(frame);
    rejectWaiters(room, error);
    this.#emit('join_error', { room: name, error });
  }

  #onLeft(frame) {
    // A `left` for a room we still hold means the server took us out (e.g. a refreshed token
    // no longer allows it): stop rejoining it.
    const room = this.#rooms.get(frame.room);
    if (room && room.joined) {
      this.#rooms.delete(frame.room);
      rejectWaiters(room, new SwitchboardError('left', `Left #${frame.room}.`));
    }
    this.#emit('left', frame);
  }

  #onMessage(frame) {
    if (!isMessage(frame)) return;
    const room = this.#rooms.get(frame.room);
    if (room && !this.#remember(room, frame)) return;
    this.#emit('message', frame);
  }

  #onDirect(frame) {
    if (frame.id != null) {
      const id = String(frame.id);
      if (this.#seenDirect.has(id)) return;
      this.#seenDirect.set(id, true);
      if (this.#seenDirect.size > MAX_SEEN) this.#seenDirect.delete(this.#seenDirect.keys().next().value);
    }
    this.#emit('direct', frame);
  }

  #onAck(frame) {
    const ref = frame.ref != null ? String(frame.ref) : null;
    const pending = ref && this.#pendingAcks.get(ref);
    if (pending) {
      this.#pendingAcks.delete(ref);
      clearTimeout(pending.timer);
      const result = { ref, id: frame.id != null ? String(frame.id) : undefined };
      if (frame.seq != null) result.seq = Number(frame.seq);
      pending.resolve(result);
    }
    this.#emit('ack', frame);
  }

  #onHistory(frame) {
    const key = historyKey(frame);
    const index = this.#pendingHistory.findIndex((p) => p.key === key);
    if (index >= 0) {
      const [pending] = this.#pendingHistory.splice(index, 1);
      clearTimeout(pending.timer);
      pending.resolve(frame);
    }
    this.#emit('history', frame);
  }

  #onError(frame) {
    const ref = frame.ref != null ? String(frame.ref) : null;
    if (ref && this.#pendingAcks.has(ref)) {
      const pending = this.#pendingAcks.get(ref);
      this.#pendingAcks.delete(ref);
      clearTimeout(pending.timer);
      pending.reject(SwitchboardError.fromFrame(frame));
      return;
    }
    const history = ref && this.#pendingHistory.findIndex((p) => p.ref === ref);
    if (ref && history >= 0) {
      const [pending] = this.#pendingHistory.splice(history, 1);
      clearTimeout(pending.timer);
      pending.reject(SwitchboardError.fromFrame(frame));
      return;
    }
    const joining = ref && [...this.#rooms.values()].find((r) => r.joinRef === ref);
    if (joining) { this.#failJoin(joining.name, frame); return; }
    if (!ref && JOIN_ERRORS_WITHOUT_REF.includes(frame.code) && this.#joinQueue.length > 0) {
      // A server that does not echo refs on joins: errors arrive in the order the joins were sent.
      this.#failJoin(this.#joinQueue[0], frame);
      return;
    }
    this.#emit('error', frame);
  }
}

function isMessage(m) {
  return Boolean(m) && m.id != null && Number.isFinite(Number(m.seq));
}

function historyKey(frame) {
  return frame.room != null ? `room:${frame.room}` : `with:${frame.with}`;
}

function rejectWaiters(room, error) {
  const waiters = room.waiters;
  room.waiters = [];
  for (const waiter of waiters) waiter.reject(error);
}

function detach(socket) {
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}
