/*
 * Switchboard chat page. Plain ES2020, no build step, no dependencies.
 * Wire contract: /work/shared/PROTOCOL.md, sections 1–3.
 *
 * Stable hooks for browser tests (Selenium):
 *   Sign-in        #login-form, #login-user, #login-name, #login-button, #login-error
 *   Who am I       #whoami (data-user, data-node), #whoami-name, #whoami-user, #whoami-node
 *   Connection     #connection-state (data-state: connecting|connected|reconnecting|disconnected),
 *                  #reconnect-banner, #reconnect-now
 *   Errors         #error-bar, #error-text, #error-dismiss
 *   Status         #status-select (online|away|busy), #logout-button
 *   Rooms          #room-input, #join-button, #room-error,
 *                  #rooms > .room-item[data-room="x"] (.active when selected, .joining until `joined`),
 *                  .room-item .room-leave, .room-item .room-unread, #leave-button (active room)
 *   Room header    #room-title, #room-meta, #room-notice (shown when recovery skipped messages)
 *   Messages       #messages > .message[data-id][data-seq]
 *                    children .message-from, .message-text, .message-node, .message-time
 *                    pending/failed own messages: .message.pending / .message.failed [data-ref],
 *                    .message-error, button[data-action="retry"|"discard"]
 *                  #history-status (loading / beginning of room), #jump-latest
 *   Composer       #composer (textarea), #send-button, #composer-hint
 *   Typing         #typing
 *   Members        #members > .member[data-user] > .presence-dot[data-status], #member-count
 *   Notifications  #toasts > .toast (.notification for server-pushed events)
 *   Orders         #order-form, #order-sku, #order-qty, #order-price, #order-button, #order-error,
 *                  #orders > .order[data-id][data-status] > .order-status
 *
 * Security: every user-provided string (names, room names, message text, error text) reaches
 * the DOM through textContent / Text nodes (see el()); nothing here ever assigns innerHTML.
 */
'use strict';

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;        // contract: room names and user ids
const MAX_DISPLAY_NAME = 100;                    // contract: `name` claim
const STATUSES = ['online', 'away', 'busy', 'offline'];

const PING_EVERY_MS = 25_000;
// Two pings without a single frame back: the TCP connection is dead even if the browser has
// not noticed yet (half-open sockets can stay "open" for minutes).
const SILENCE_LIMIT_MS = 2 * PING_EVERY_MS + 5_000;

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 10_000;
// Consecutive refusals (1008, no welcome in between) before we stop and ask the user.
const MAX_REFUSALS = 5;

const REFRESH_LEAD_MS = 60_000;                  // refresh the token this long before it expires
const TOKEN_RETRY_MS = 10_000;
const MAX_TIMEOUT_MS = 2 ** 31 - 1;              // setTimeout fires at once above this

const TYPING_THROTTLE_MS = 2_000;
const TYPING_IDLE_MS = 3_000;
const TYPING_EXPIRE_MS = 5_000;

const HISTORY_PAGE = 50;
const HISTORY_TIMEOUT_MS = 15_000;               // never leave the "loading" guard stuck
const ACK_TIMEOUT_MS = 20_000;
const AUTO_RETRIES = 3;                          // for rate_limited / unavailable, which say when

// The server closes the socket (1009) for frames over 64 KiB. Refuse bigger ones here, so a huge
// paste becomes an error message instead of a disconnect.
const MAX_FRAME_BYTES = 60 * 1024;
const PRESENCE_BATCH = 200;                      // server limit per GET /api/presence

const NEAR_BOTTOM_PX = 80;
const NEAR_TOP_PX = 60;
const TOAST_MS = 5_000;
const MAX_TOASTS = 5;

const STORAGE_USER = 'switchboard.user';
const STORAGE_NAME = 'switchboard.name';
const storageRoomsKey = (user) => `switchboard.rooms.${user}`;
const storageActiveKey = (user) => `switchboard.active.${user}`;

// ---------------------------------------------------------------------------------------------
// State: the single source of truth; the DOM is re-derived from it.
// ---------------------------------------------------------------------------------------------

const state = {
  epoch: 0,               // bumped on sign-in/out so late async answers of an old session are dropped
  user: null,             // own user id
  name: null,             // own display name (from `welcome`)
  requestedName: '',      // what the user typed, reused for token refreshes
  token: null,
  expiresAt: 0,           // ms since epoch
  node: null,             // node serving this socket (from `welcome`)

  socket: null,
  welcomed: false,        // got `welcome` on the current socket
  connection: 'disconnected', // connecting | connected | reconnecting | disconnected
  disconnectReason: null, // why we gave up reconnecting, shown in the banner
  lastFrameAt: 0,
  pingTimer: null,
  refreshTimer: null,
  reconnect: { attempt: 0, timer: null, tick: null, dueAt: 0, needFreshToken: false, refusals: 0, inFlight: false },

  rooms: new Map(),       // name -> room (see newRoom); insertion order = sidebar order
  activeRoom: null,
  joinQueue: [],          // rooms awaiting `joined`, oldest first (fallback when an error has no ref)
  pendingRefs: new Map(), // ref -> { kind: 'join' | 'history', room }
  pendingSends: new Map(),// ref -> outbox entry awaiting `ack`
  refCounter: 0,
  localCounter: 0,

  names: new Map(),       // user id -> display name, learnt from messages and member_joined
  presence: new Map(),    // user id -> status (presence is per user, not per room)
  presenceFrameAt: new Map(), // user id -> when a `presence` frame last set it (beats older HTTP answers)
  myStatus: 'online',

  typingOut: { room: null, active: false, sentAt: 0, idleTimer: null },
};

function newRoom(name) {
  return {
    name,
    status: 'joining',    // joining | joined
    everJoined: false,    // a later join carries `since`
    lastSeq: 0,           // highest seq seen (messages or `joined.seq`)
    messages: [],         // confirmed messages, sorted by seq
    byId: new Map(),      // id -> message (dedup: echo of own message, recovery overlap)
    outbox: [],           // own messages without `ack`: queued | pending | failed | unconfirmed
    members: new Set(),
    typing: new Map(),    // user id -> expiry timer
    hasMore: false,
    historyLoading: false,
    historyTimer: null,
    joinRef: null,
    unread: 0,
    draft: '',
    notice: null,
    atBottom: true,
    scrollTop: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// DOM helpers
// ---------------------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);

/**
 * Creates an element. String children become Text nodes (Node.append never parses HTML), and
 * attributes go through setAttribute, so user data can never turn into markup.
 */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child != null && child !== false) node.append(child);
  }
  return node;
}

function show(node, visible) { node.hidden = !visible; }

// localStorage throws in some privacy modes; remembering names is a convenience, never a failure.
function storageGet(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}
function storageSet(key, value) {
  try {
    if (value == null) localStorage.removeItem(key); else localStorage.setItem(key, value);
  } catch { /* ignore */ }
}

function newRef(prefix) {
  state.refCounter += 1;
  const random = Math.random().toString(36).slice(2, 10);
  return `${prefix}-${Date.now().toString(36)}-${state.refCounter}-${random}`; // < 64 chars
}

function activeRoom() {
  return state.activeRoom ? state.rooms.get(state.activeRoom) || null : null;
}

function displayName(user) {
  if (user === state.user && state.name) return state.name;
  return state.names.get(user) || user;
}

function isConnected() {
  return state.connection === 'connected' && state.socket && state.socket.readyState === WebSocket.OPEN;
}

function canSendTo(room) {
  return Boolean(room) && room.status === 'joined' && isConnected();
}

// ---------------------------------------------------------------------------------------------
// Sign-in and tokens (POST /api/auth/token)
// ---------------------------------------------------------------------------------------------

class TokenError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function requestToken(user, name) {
  let response;
  try {
    response = await fetch('api/auth/token', {
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
      'so this page cannot sign you in.');
  }
  if (!response.ok) throw new TokenError(response.status, await problemText(response));
  const body = await response.json().catch(() => null);
  if (!body || typeof body.token !== 'string') {
    throw new TokenError(response.status, 'The server answered without a token.');
  }
  return { token: body.token, expiresAt: Date.parse(body.expiresAt) || 0 };
}

/** Text for an RFC 9457 problem answer, falling back to the status line. */
async function problemText(response) {
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

function applyToken({ token, expiresAt }) {
  state.token = token;
  state.expiresAt = expiresAt;
  scheduleTokenRefresh();
}

async function onLoginSubmit(event) {
  event.preventDefault();
  const user = $('login-user').value.trim();
  const name = $('login-name').value.trim();
  if (!NAME_RE.test(user)) {
    showLoginError('The user id must be 1–64 letters, digits, “_” or “-” (no spaces or dots).');
    $('login-user').focus();
    return;
  }
  if (name.length > MAX_DISPLAY_NAME) {
    showLoginError(`The display name can be at most ${MAX_DISPLAY_NAME} characters.`);
    return;
  }
  showLoginError(null);
  setLoginBusy(true);
  try {
    const token = await requestToken(user, name);
    storageSet(STORAGE_USER, user);
    storageSet(STORAGE_NAME, name || null);
    startSession(user, name, token);
  } catch (error) {
    showLoginError(error.status ? `${error.message} (HTTP ${error.status})` : error.message);
  } finally {
    setLoginBusy(false);
  }
}

function showLoginError(message) {
  const box = $('login-error');
  box.textContent = message || '';
  show(box, Boolean(message));
}

function setLoginBusy(busy) {
  const button = $('login-button');
  button.disabled = busy;
  button.textContent = busy ? 'Signing in…' : 'Sign in';
}

function startSession(user, requestedName, token) {
  state.epoch += 1;
  state.user = user;
  state.requestedName = requestedName;
  state.name = requestedName || user;
  state.myStatus = 'online';
  state.presence.set(user, 'online');
  applyToken(token);
  restoreRooms();

  show($('login-view'), false);
  show($('chat-view'), true);
  $('status-select').value = 'online';
  renderAll();
  connect();
  (activeRoom() ? $('composer') : $('room-input')).focus();
}

function signOut() {
  state.epoch += 1;
  stopTyping();
  clearTimeout(state.refreshTimer);
  cancelReconnect();
  stopPing();
  const socket = state.socket;
  state.socket = null;
  if (socket) {
    detachSocket(socket);
    try { socket.close(1000, 'signed out'); } catch { /* already closed */ }
  }
  $('orders').replaceChildren();
  for (const room of state.rooms.values()) clearRoomTimers(room);
  for (const entry of state.pendingSends.values()) clearTimeout(entry.ackTimer);
  Object.assign(state, {
    user: null, name: null, token: null, expiresAt: 0, node: null, welcomed: false,
    rooms: new Map(), activeRoom: null, joinQueue: [], pendingRefs: new Map(), pendingSends: new Map(),
    names: new Map(), presence: new Map(), presenceFrameAt: new Map(),
  });
  Object.assign(state.reconnect, { attempt: 0, needFreshToken: false, refusals: 0, inFlight: false });
  setConnection('disconnected');
  hideError();
  show($('chat-view'), false);
  show($('login-view'), true);
  document.title = 'Switchboard';
  $('login-user').focus();
}

// ---------------------------------------------------------------------------------------------
// Token refresh: a `refresh` frame about a minute before expiry keeps the socket open.
// ---------------------------------------------------------------------------------------------

function scheduleTokenRefresh() {
  clearTimeout(state.refreshTimer);
  if (!state.expiresAt) return;
  const left = state.expiresAt - Date.now();
  // Short-lived tokens (under two minutes) are refreshed half way instead.
  const delay = left > 2 * REFRESH_LEAD_MS ? left - REFRESH_LEAD_MS : Math.max(1_000, left / 2);
  state.refreshTimer = setTimeout(refreshToken, Math.min(delay, MAX_TIMEOUT_MS));
}

async function refreshToken() {
  const epoch = state.epoch;
  try {
    const token = await requestToken(state.user, state.requestedName);
    if (epoch !== state.epoch) return;
    applyToken(token);
    sendFrame({ type: 'refresh', token: token.token });
  } catch (error) {
    if (epoch !== state.epoch) return;
    if (error.status === 404) {
      showError('token_refresh', `${error.message} The connection ends when the current token expires.`);
      return;
    }
    // Try again while the old token still lives; after that the close (1008) path takes over.
    if (Date.now() + TOKEN_RETRY_MS < state.expiresAt) {
      state.refreshTimer = setTimeout(refreshToken, TOKEN_RETRY_MS);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Connection: open, close, reconnect with backoff, ping
// ---------------------------------------------------------------------------------------------

function socketUrl() {
  // Relative to the page, so the app also works behind a context path or a proxy.
  const url = new URL('ws', document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', state.token);
  return url.toString();
}

function connect() {
  cancelReconnect();
  let socket;
  try {
    socket = new WebSocket(socketUrl());
  } catch (error) {
    showError('connection', `Cannot open the socket: ${error.message}`);
    setConnection('disconnected');
    return;
  }
  state.socket = socket;
  state.welcomed = false;
  state.lastFrameAt = Date.now();
  setConnection(state.reconnect.attempt > 0 ? 'reconnecting' : 'connecting');
  socket.onmessage = (event) => { if (socket === state.socket) handleFrame(event.data); };
  socket.onclose = (event) => onSocketClosed(socket, event.code, event.reason);
  socket.onerror = () => { /* a close event always follows; it carries what we need */ };
}

function detachSocket(socket) {
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}

/** Drops a socket that stopped answering; the browser may take minutes to notice on its own. */
function abandonSocket(reason) {
  const socket = state.socket;
  if (!socket) return;
  detachSocket(socket);
  try { socket.close(4000, reason); } catch { /* ignore */ }
  onSocketClosed(socket, 4000, reason);
}

function onSocketClosed(socket, code, reason) {
  if (socket !== state.socket) return;       // a socket we already replaced or abandoned
  state.socket = null;
  stopPing();
  resetAfterDisconnect();

  const refused = code === 1008;
  if (refused) state.reconnect.refusals += 1;
  // 1008 = token expired or refused. A socket that died before `welcome` may have been refused
  // at the handshake (401 shows up as 1006 in browsers), so it also gets a fresh token.
  state.reconnect.needFreshToken = refused || !state.welcomed;

  if (state.reconnect.refusals >= MAX_REFUSALS) {
    const detail = reason ? `${code}: ${reason}` : String(code);
    setConnection('disconnected', `The server keeps refusing the connection (close ${detail}).`);
    showError('connection_refused', `The server refused the connection ${MAX_REFUSALS} times in a row.`);
    return;
  }
  scheduleReconnect();
}

/** After any disconnect: the new socket has joined nothing, and unacked sends may or may not have landed. */
function resetAfterDisconnect() {
  state.welcomed = false;
  state.joinQueue = [];
  state.pendingRefs.clear();
  resetTypingOut();
  for (const room of state.rooms.values()) {
    room.status = 'joining';
    room.historyLoading = false;
    clearTimeout(room.historyTimer);
    clearIncomingTyping(room);
  }
  for (const entry of state.pendingSends.values()) {
    clearTimeout(entry.ackTimer);
    clearTimeout(entry.retryTimer);
    if (entry.status === 'pending') {
      entry.status = 'unconfirmed';
      entry.error = 'Connection lost before the server confirmed this message.';
      renderOutboxEntry(entry);
    }
  }
  state.pendingSends.clear();
  renderRoomList();
  renderRoomHeader();
  renderTyping();
  renderHistoryStatus();
}

function backoffDelay(attempt) {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** attempt);
  // ±20 % jitter, so that the thousands of clients a dying node drops don't return in lockstep.
  return Math.min(BACKOFF_MAX_MS, Math.round(base * (0.8 + Math.random() * 0.4)));
}

function scheduleReconnect() {
  cancelReconnect();
  const r = state.reconnect;
  const delay = backoffDelay(r.attempt);
  r.attempt += 1;
  r.dueAt = Date.now() + delay;
  r.timer = setTimeout(reconnectNow, delay);
  r.tick = setInterval(renderBanner, 500);
  setConnection('reconnecting');
}

function cancelReconnect() {
  const r = state.reconnect;
  clearTimeout(r.timer);
  clearInterval(r.tick);
  r.timer = null;
  r.tick = null;
}

async function reconnectNow() {
  const r = state.reconnect;
  if (r.inFlight || !state.user) return;
  cancelReconnect();
  if (r.needFreshToken) {
    r.inFlight = true;
    setConnection('reconnecting');
    const epoch = state.epoch;
    let token;
    try {
      token = await requestToken(state.user, state.requestedName);
    } catch (error) {
      if (epoch !== state.epoch) return;
      if (error.status === 404) {
        setConnection('disconnected', 'Dev tokens are turned off on this server.');
        showError('token', error.message);
        return;
      }
      scheduleReconnect();                   // server unreachable: keep backing off
      return;
    } finally {
      r.inFlight = false;
    }
    if (epoch !== state.epoch) return;      // signed out while the token was on its way
    applyToken(token);
    r.needFreshToken = false;
  }
  connect();
}

function startPing() {
  stopPing();
  state.pingTimer = setInterval(() => {
    if (Date.now() - state.lastFrameAt > SILENCE_LIMIT_MS) {
      abandonSocket('no answer to ping');
      return;
    }
    sendFrame({ type: 'ping' });
  }, PING_EVERY_MS);
}

function stopPing() {
  clearInterval(state.pingTimer);
  state.pingTimer = null;
}

function sendFrame(frame) {
  const socket = state.socket;
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

// ---------------------------------------------------------------------------------------------
// Incoming frames
// ---------------------------------------------------------------------------------------------

const frameHandlers = {
  welcome: onWelcome,
  joined: onJoined,
  left: onLeft,
  message: onMessage,
  ack: onAck,
  member_joined: onMemberJoined,
  member_left: onMemberLeft,
  typing: onTyping,
  presence: onPresence,
  history: onHistory,
  notification: onNotification,
  direct: onDirect,
  pong: () => {},                           // lastFrameAt is all a pong is for
  error: onErrorFrame,
};

function handleFrame(raw) {
  state.lastFrameAt = Date.now();
  let frame;
  try {
    frame = JSON.parse(raw);
  } catch {
    console.warn('Switchboard: ignoring a frame that is not JSON', raw);
    return;
  }
  const handler = frame && frameHandlers[frame.type];
  if (!handler) return;                     // unknown types are ignored: the contract may grow
  try {
    handler(frame);
  } catch (error) {
    console.error('Switchboard: failed to handle frame', frame, error);
  }
}

function onWelcome(frame) {
  state.welcomed = true;
  state.node = frame.node ?? null;
  if (frame.name) state.name = String(frame.name);
  state.reconnect.attempt = 0;
  state.reconnect.refusals = 0;
  state.reconnect.needFreshToken = false;
  setConnection('connected');
  startPing();

  // Presence is per socket on the server: a new socket starts "online".
  state.presence.set(state.user, state.myStatus);
  if (state.myStatus !== 'online') sendFrame({ type: 'status', status: state.myStatus });
  for (const room of state.rooms.values()) sendJoin(room);
  renderAll();
}

// ---------------------------------------------------------------------------------------------
// Rooms
// ---------------------------------------------------------------------------------------------

function sendJoin(room) {
  const ref = newRef('join');
  room.status = 'joining';
  room.joinRef = ref;
  state.pendingRefs.set(ref, { kind: 'join', room: room.name });
  state.joinQueue.push(room.name);
  const frame = { type: 'join', room: room.name, ref };
  // After a reconnect ask for everything after the last seq we saw, so no message is missed.
  if (room.everJoined) frame.since = room.lastSeq;
  sendFrame(frame);
}

function onJoinSubmit(event) {
  event.preventDefault();
  const input = $('room-input');
  const name = input.value.trim().replace(/^#/, '');
  if (!NAME_RE.test(name)) {
    showRoomError(name ? 'Room names are 1–64 letters, digits, “_” or “-” (no spaces or dots).' : 'Type a room name.');
    return;
  }
  showRoomError(null);
  input.value = '';
  joinRoom(name);
}

function showRoomError(message) {
  const box = $('room-error');
  box.textContent = message || '';
  show(box, Boolean(message));
}

function joinRoom(name) {
  if (!state.rooms.has(name)) {
    const room = newRoom(name);
    state.rooms.set(name, room);
    if (isConnected()) sendJoin(room);      // otherwise `welcome` joins every room
    saveRooms();
  }
  switchRoom(name);
}

function leaveRoom(name) {
  const room = state.rooms.get(name);
  if (!room) return;
  if (state.typingOut.room === name) stopTyping();
  sendFrame({ type: 'leave', room: name });
  clearRoomTimers(room);
  for (const entry of room.outbox) state.pendingSends.delete(entry.ref);
  state.rooms.delete(name);
  // The join may still be in flight: keep it in joinQueue so a ref-less error still lines up,
  // and onJoined ignores rooms we no longer hold.
  if (state.activeRoom === name) {
    const next = state.rooms.keys().next();
    state.activeRoom = null;
    if (!next.done) switchRoom(next.value); else renderAll();
  } else {
    renderRoomList();
  }
  saveRooms();
  updateTitle();
}

function clearRoomTimers(room) {
  clearTimeout(room.historyTimer);
  clearIncomingTyping(room);
  for (const entry of room.outbox) {
    clearTimeout(entry.ackTimer);
    clearTimeout(entry.retryTimer);
  }
}

function switchRoom(name) {
  const previous = activeRoom();
  if (previous && previous.name !== name) {
    previous.draft = $('composer').value;
    rememberScroll(previous);
    stopTyping();
  }
  state.activeRoom = name;
  const room = activeRoom();
  if (room) room.unread = 0;
  saveRooms();
  renderAll();
  restoreScroll(room);
  $('composer').value = room ? room.draft : '';
  autoGrowComposer();
  maybeLoadOlder();
}

function onJoined(frame) {
  dequeueJoin(frame.room);
  const room = state.rooms.get(frame.room);
  if (!room) return;                        // left while the join was in flight
  state.pendingRefs.delete(room.joinRef);
  room.joinRef = null;

  const latestSeq = Number(frame.seq) || 0;
  const messages = (Array.isArray(frame.messages) ? frame.messages : []).map(toMessage).filter(Boolean);
  const recovered = frame.recovered === true;
  if (!recovered) {
    // A fresh join, or recovery gave up: the page is "the latest messages", and what we held
    // may have a gap before it. Start over from the page, keeping only messages that raced
    // ahead of `joined` (newer than the page) so nothing is lost.
    const newer = room.messages.filter((m) => m.seq > latestSeq);
    room.messages = [];
    room.byId = new Map();
    for (const m of newer) storeMessage(room, m);
    if (frame.recovered === false) {
      room.notice = 'Some messages were skipped while you were disconnected; showing the latest ones. ' +
        'Scroll up to load older messages.';
    }
  }
  for (const m of messages) storeMessage(room, m);
  room.lastSeq = Math.max(room.lastSeq, latestSeq);
  if (!recovered) room.hasMore = computeHasMore(room);

  room.members = new Set((frame.members || []).map(String));
  room.members.add(state.user);
  room.status = 'joined';
  room.everJoined = true;
  reconcileUnconfirmed(room, recovered);

  fetchPresence([...room.members]);
  renderRoomList();
  if (room === activeRoom()) {
    // A replaced page jumps to the newest messages; recovered ones only add below the view.
    const stick = isNearBottom() || !recovered;
    renderActiveRoom();
    renderRoomHeader();
    renderMembers();
    renderComposer();
    if (stick) scrollToBottom();
    maybeLoadOlder();
  }
  // Messages written while offline or joining go out now, in the order they were written.
  for (const entry of room.outbox.filter((e) => e.status === 'queued')) transmit(entry);
}

function dequeueJoin(name) {
  const index = state.joinQueue.indexOf(name);
  if (index >= 0) state.joinQueue.splice(index, 1);
}

function failJoin(name, frame) {
  dequeueJoin(name);
  const room = state.rooms.get(name);
  if (!room) return;
  showError(frame.code, `Could not join #${name} — ${errorText(frame)}`);
  leaveRoomLocally(room);
}

/** Removes a room the server would not let us into (nothing to send back). */
function leaveRoomLocally(room) {
  clearRoomTimers(room);
  state.rooms.delete(room.name);
  if (state.activeRoom === room.name) {
    const next = state.rooms.keys().next();
    state.activeRoom = null;
    if (!next.done) { switchRoom(next.value); return; }
  }
  saveRooms();
  renderAll();
}

function onLeft(frame) {
  // We remove rooms as soon as the user clicks "leave"; a `left` for a room we still hold
  // means the server took us out, so follow it.
  const room = state.rooms.get(frame.room);
  if (room && room.status === 'joined') leaveRoomLocally(room);
}

function saveRooms() {
  if (!state.user) return;
  storageSet(storageRoomsKey(state.user), JSON.stringify([...state.rooms.keys()]));
  storageSet(storageActiveKey(state.user), state.activeRoom);
}

function restoreRooms() {
  state.rooms = new Map();
  let names = [];
  try { names = JSON.parse(storageGet(storageRoomsKey(state.user)) || '[]'); } catch { names = []; }
  for (const name of Array.isArray(names) ? names : []) {
    if (typeof name === 'string' && NAME_RE.test(name)) state.rooms.set(name, newRoom(name));
  }
  const active = storageGet(storageActiveKey(state.user));
  state.activeRoom = active && state.rooms.has(active) ? active : (state.rooms.keys().next().value ?? null);
}

// ---------------------------------------------------------------------------------------------
// Messages: model
// ---------------------------------------------------------------------------------------------

function toMessage(frame) {
  if (!frame || frame.id == null || !Number.isFinite(Number(frame.seq))) return null;
  return {
    id: String(frame.id),
    room: frame.room,
    seq: Number(frame.seq),
    from: String(frame.from ?? ''),
    name: frame.name != null ? String(frame.name) : null,
    text: String(frame.text ?? ''),
    ts: frame.ts ?? null,
    node: frame.node != null ? String(frame.node) : null,
    synthetic: false,
  };
}

/** Adds or updates a message; returns 'added', 'updated' or 'same'. Dedup is by id, order by seq. */
function storeMessage(room, message) {
  if (message.name) state.names.set(message.from, message.name);
  const known = room.byId.get(message.id);
  if (known) {
    // The echo of our own message after its ack fills in what the ack lacks (node, server ts).
    const changed = known.synthetic || known.node !== message.node || known.ts !== message.ts ||
      known.name !== message.name;
    if (!message.synthetic) Object.assign(known, message);
    return changed && !message.synthetic ? 'updated' : 'same';
  }
  room.byId.set(message.id, message);
  insertBySeq(room.messages, message);
  room.lastSeq = Math.max(room.lastSeq, message.seq);
  return 'added';
}

function insertBySeq(list, message) {
  // Nearly every message is the newest: check the end first, binary search otherwise.
  if (list.length === 0 || list[list.length - 1].seq < message.seq) {
    list.push(message);
    return;
  }
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (list[mid].seq < message.seq) low = mid + 1; else high = mid;
  }
  list.splice(low, 0, message);
}

function computeHasMore(room) {
  // Seqs start at 1 and grow by one, so a page that starts above 1 has older messages before it.
  return room.messages.length > 0 ? room.messages[0].seq > 1 : room.lastSeq > 0;
}

// ---------------------------------------------------------------------------------------------
// Messages: incoming
// ---------------------------------------------------------------------------------------------

function onMessage(frame) {
  const room = state.rooms.get(frame.room);
  const message = toMessage(frame);
  if (!room || !message) return;
  expireTyping(room, message.from);
  const list = $('messages');
  const stick = room === activeRoom() && (isNearBottom() || message.from === state.user);
  const result = storeMessage(room, message);
  if (result === 'same') return;

  if (room !== activeRoom()) {
    if (result === 'added' && message.from !== state.user) {
      room.unread += 1;
      renderRoomList();
      updateTitle();
    }
    return;
  }
  upsertMessageElement(message);
  renderHistoryStatus();
  if (result !== 'added') return;
  if (stick) scrollToBottom();
  else if (list.scrollHeight > list.clientHeight) show($('jump-latest'), true);
}

function onAck(frame) {
  const ref = frame.ref != null ? String(frame.ref) : null;
  const entry = ref && state.pendingSends.get(ref);
  if (!entry) return;
  state.pendingSends.delete(ref);
  clearTimeout(entry.ackTimer);
  const room = state.rooms.get(entry.room);
  if (!room) return;
  removeOutboxEntry(room, entry);
  if (frame.id == null || frame.seq == null) return;    // not a room message

  // The echo may already be here (then it is shown once, by id); if not, show the message now
  // from what we sent, and let the echo fill in node and server time when it comes.
  const message = {
    id: String(frame.id), room: room.name, seq: Number(frame.seq), from: state.user, name: state.name,
    text: entry.text, ts: entry.sentAt, node: null, synthetic: true,
  };
  const result = storeMessage(room, message);
  room.byId.get(message.id).acked = true;   // this one can no longer stand in for an unconfirmed send
  if (result === 'added' && room === activeRoom()) {
    const stick = isNearBottom();
    upsertMessageElement(message);
    if (stick) scrollToBottom();
  }
}

/**
 * After a reconnect, own messages that lost their ack may have been accepted anyway: their echo
 * came before the drop, or they are among the recovered messages. A message of ours with the same
 * text, newer than the room was when we sent, and not claimed by an ack, is taken as that message
 * (and the local copy dropped); the rest are marked failed so the user can retry.
 */
function reconcileUnconfirmed(room, complete) {
  const unconfirmed = room.outbox.filter((e) => e.status === 'unconfirmed');
  if (unconfirmed.length === 0) return;
  const claimed = new Set();
  for (const entry of unconfirmed) {
    const match = room.messages.find((m) => m.from === state.user && !m.acked && !claimed.has(m.id) &&
      m.seq > entry.seqAtSend && m.text === entry.text);
    if (match) {
      claimed.add(match.id);
      removeOutboxEntry(room, entry);
    } else {
      entry.status = 'failed';
      entry.error = complete
        ? 'Not delivered: the connection dropped before the server accepted it.'
        : 'May not have been delivered: the connection dropped and some messages were skipped.';
      renderOutboxEntry(entry);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Messages: outgoing
// ---------------------------------------------------------------------------------------------

function onComposerSubmit(event) {
  event.preventDefault();
  sendComposer();
}

function onComposerKeydown(event) {
  // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
    event.preventDefault();
    sendComposer();
  }
}

function sendComposer() {
  const room = activeRoom();
  const composer = $('composer');
  const text = composer.value;
  if (!room || text.trim() === '') return;   // the server would answer empty_message
  if (!fitsInFrame(room.name, text)) {
    showError('too_large', 'This message is too long to send. Split it into smaller parts.');
    return;
  }
  stopTyping();
  composer.value = '';
  room.draft = '';
  autoGrowComposer();
  const entry = {
    key: `local-${++state.localCounter}`, ref: null, room: room.name, text, status: 'queued',
    error: null, sentAt: null, seqAtSend: 0, retries: 0, ackTimer: null, retryTimer: null,
  };
  room.outbox.push(entry);
  transmit(entry);                           // or stays queued until the room is joined again
  scrollToBottom();
}

function fitsInFrame(room, text) {
  const frame = JSON.stringify({ type: 'send', room, text, ref: 'x'.repeat(64) });
  return new TextEncoder().encode(frame).length <= MAX_FRAME_BYTES;
}

/** Sends (or re-sends) an outbox entry under a fresh ref; queues it while the room is not joined. */
function transmit(entry) {
  const room = state.rooms.get(entry.room);
  if (!room) return;
  clearTimeout(entry.retryTimer);
  clearTimeout(entry.ackTimer);
  // A late ack for the previous ref must not confirm this new attempt.
  if (entry.ref) state.pendingSends.delete(entry.ref);
  if (!canSendTo(room)) {
    entry.status = 'queued';
    entry.error = null;
    renderOutboxEntry(entry);
    return;
  }
  entry.ref = newRef('msg');
  entry.status = 'pending';
  entry.error = null;
  entry.sentAt = new Date().toISOString();
  entry.seqAtSend = room.lastSeq;
  state.pendingSends.set(entry.ref, entry);
  sendFrame({ type: 'send', room: entry.room, text: entry.text, ref: entry.ref });
  entry.ackTimer = setTimeout(() => {
    // Keep the ref registered: a late ack still confirms the message.
    if (entry.status !== 'pending') return;
    entry.status = 'failed';
    entry.error = 'No confirmation from the server yet. It may still arrive; retry to send again.';
    renderOutboxEntry(entry);
  }, ACK_TIMEOUT_MS);
  renderOutboxEntry(entry);
}

function failSend(entry, frame) {
  state.pendingSends.delete(entry.ref);
  clearTimeout(entry.ackTimer);
  entry.status = 'failed';
  entry.error = errorText(frame);
  // rate_limited and unavailable say when to come back, and nothing was accepted: try again then.
  const retryable = (frame.code === 'rate_limited' || frame.code === 'unavailable') && Number(frame.retryAfterMs) > 0;
  if (retryable && entry.retries < AUTO_RETRIES) {
    entry.retries += 1;
    entry.error += ' Retrying automatically…';
    entry.retryTimer = setTimeout(() => transmit(entry), Number(frame.retryAfterMs) + 100);
  }
  renderOutboxEntry(entry);
}

function onMessageAction(event) {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const item = button.closest('.message');
  const room = activeRoom();
  const entry = room && room.outbox.find((e) => e.key === item?.dataset.local);
  if (!entry) return;
  if (button.dataset.action === 'retry') {
    entry.retries = 0;
    transmit(entry);
  } else if (button.dataset.action === 'discard') {
    state.pendingSends.delete(entry.ref);
    removeOutboxEntry(room, entry);
  }
}

function removeOutboxEntry(room, entry) {
  clearTimeout(entry.ackTimer);
  clearTimeout(entry.retryTimer);
  const index = room.outbox.indexOf(entry);
  if (index >= 0) room.outbox.splice(index, 1);
  if (room === activeRoom()) outboxElement(entry)?.remove();
}

// ---------------------------------------------------------------------------------------------
// Messages: rendering
// ---------------------------------------------------------------------------------------------

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined,
  { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

function formatTime(ts) {
  const date = new Date(ts);
  if (!ts || Number.isNaN(date.getTime())) return { short: '', full: '' };
  const today = new Date().toDateString() === date.toDateString();
  return { short: (today ? timeFormat : dateTimeFormat).format(date), full: fullFormat.format(date) };
}

function colourIndex(user) {
  let hash = 0;
  for (const char of user) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return hash % 8;
}

function initial(name) {
  const first = [...(name || '?').trim()][0] || '?';
  return first.toUpperCase();
}

/** One message element, for a confirmed message or an outbox entry. */
function buildMessage(m) {
  const mine = m.from === state.user;
  const item = el('div', {
    class: `message${mine ? ' mine' : ''}${m.status ? ' ' + m.status : ''}`,
    'data-id': m.id, 'data-seq': m.seq, 'data-ref': m.ref, 'data-local': m.key, 'data-from': m.from,
  });
  const name = m.name || displayName(m.from);
  const from = el('span', { class: 'message-from' }, el('span', { class: 'message-name' }, name));
  if (name !== m.from) from.append(' ', el('span', { class: 'message-user' }, `@${m.from}`));

  const when = formatTime(m.ts);
  const time = el('time', { class: 'message-time', datetime: m.ts, title: when.full }, when.short);
  const node = el('span', { class: 'message-node', title: m.node ? `accepted by node ${m.node}` : null }, m.node || '');
  node.hidden = !m.node;

  const body = el('div', { class: 'message-body' },
    el('div', { class: 'message-meta' }, from, time, node),
    el('div', { class: 'message-text' }, m.text));
  if (m.status === 'pending') body.append(el('div', { class: 'message-state' }, 'Sending…'));
  if (m.status === 'queued') {
    body.append(el('div', { class: 'message-state' },
      el('span', {}, 'Waiting for the connection… it is sent as soon as the room is joined.'),
      el('button', { type: 'button', class: 'link-button', 'data-action': 'discard' }, 'Discard')));
  }
  if (m.status === 'failed' || m.status === 'unconfirmed') {
    body.append(el('div', { class: 'message-state message-error' },
      el('span', {}, m.error || 'Not sent.'),
      el('button', { type: 'button', class: 'link-button', 'data-action': 'retry' }, 'Retry'),
      el('button', { type: 'button', class: 'link-button', 'data-action': 'discard' }, 'Discard')));
  }
  item.append(el('div', { class: `avatar c${colourIndex(m.from)}`, 'aria-hidden': 'true' }, initial(name)), body);
  return item;
}

function buildOutboxMessage(entry) {
  return buildMessage({
    key: entry.key, ref: entry.ref, from: state.user, name: state.name, text: entry.text,
    ts: entry.sentAt, node: null, status: entry.status, error: entry.error,
  });
}

function messageElement(id) {
  return $('messages').querySelector(`.message[data-id="${CSS.escape(id)}"]`);
}

function outboxElement(entry) {
  return $('messages').querySelector(`.message[data-local="${CSS.escape(entry.key)}"]`);
}

/** Puts a confirmed message in its place by seq: after the last shown one with a lower seq. */
function upsertMessageElement(message) {
  const fresh = buildMessage(message);
  const existing = messageElement(message.id);
  if (existing) { existing.replaceWith(fresh); return; }
  const list = $('messages');
  const items = list.querySelectorAll(':scope > .message[data-seq]');
  for (let i = items.length - 1; i >= 0; i--) {
    if (Number(items[i].dataset.seq) < message.seq) { items[i].after(fresh); return; }
  }
  const first = list.querySelector(':scope > .message');
  if (first) first.before(fresh); else list.append(fresh);
}

/** Outbox entries always sit below the confirmed messages, in the order written. */
function renderOutboxEntry(entry) {
  const room = state.rooms.get(entry.room);
  if (!room || room !== activeRoom() || !room.outbox.includes(entry)) return;
  const fresh = buildOutboxMessage(entry);
  const existing = outboxElement(entry);
  if (existing) existing.replaceWith(fresh); else $('messages').append(fresh);
}

function renderActiveRoom() {
  const room = activeRoom();
  const list = $('messages');
  const status = $('history-status');
  show($('empty-state'), !room);
  show(list, Boolean(room));
  show($('jump-latest'), false);
  if (!room) { list.replaceChildren(status); return; }
  const fragment = document.createDocumentFragment();
  fragment.append(status);
  for (const message of room.messages) fragment.append(buildMessage(message));
  for (const entry of room.outbox) fragment.append(buildOutboxMessage(entry));
  list.replaceChildren(fragment);
  renderHistoryStatus();
  renderNotice();
}

function renderHistoryStatus() {
  const room = activeRoom();
  const status = $('history-status');
  let text = '';
  if (room) {
    if (room.historyLoading) text = 'Loading older messages…';
    else if (room.status !== 'joined' && room.messages.length === 0) text = 'Joining…';
    else if (room.messages.length === 0 && room.outbox.length === 0) text = `No messages in #${room.name} yet. Say hello!`;
    else if (!room.hasMore) text = `This is the beginning of #${room.name}.`;
  }
  status.textContent = text;
  status.dataset.state = room?.historyLoading ? 'loading' : (room && !room.hasMore ? 'start' : 'more');
}

function renderNotice() {
  const room = activeRoom();
  $('room-notice-text').textContent = room?.notice || '';
  show($('room-notice'), Boolean(room?.notice));
}

function isNearBottom() {
  const list = $('messages');
  return list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
}

function scrollToBottom() {
  const list = $('messages');
  list.scrollTop = list.scrollHeight;
  show($('jump-latest'), false);
}

function rememberScroll(room) {
  room.atBottom = isNearBottom();
  room.scrollTop = $('messages').scrollTop;
}

function restoreScroll(room) {
  if (!room) return;
  if (room.atBottom) scrollToBottom(); else $('messages').scrollTop = room.scrollTop;
}

// ---------------------------------------------------------------------------------------------
// History: page older messages when the list is scrolled to the top
// ---------------------------------------------------------------------------------------------

function onMessagesScroll() {
  if (isNearBottom()) show($('jump-latest'), false);
  maybeLoadOlder();
}

function maybeLoadOlder() {
  const room = activeRoom();
  if (!room || !room.hasMore || room.historyLoading || !isConnected()) return;
  if ($('messages').scrollTop > NEAR_TOP_PX) return;
  const before = room.messages.length > 0 ? room.messages[0].seq : room.lastSeq + 1;
  const ref = newRef('hist');
  room.historyLoading = true;
  state.pendingRefs.set(ref, { kind: 'history', room: room.name });
  sendFrame({ type: 'history', room: room.name, before, limit: HISTORY_PAGE, ref });
  room.historyTimer = setTimeout(() => finishHistory(room, ref), HISTORY_TIMEOUT_MS);
  renderHistoryStatus();
}

function finishHistory(room, ref) {
  clearTimeout(room.historyTimer);
  room.historyLoading = false;
  if (ref) state.pendingRefs.delete(ref);
  if (room === activeRoom()) renderHistoryStatus();
}

function onHistory(frame) {
  if (frame.room == null) return;           // conversation history: this page has no DM view
  const room = state.rooms.get(frame.room);
  if (!room) return;
  const ref = [...state.pendingRefs].find(([, p]) => p.kind === 'history' && p.room === room.name)?.[0];
  finishHistory(room, ref);

  const list = $('messages');
  const fromBottom = list.scrollHeight - list.scrollTop;
  const messages = (Array.isArray(frame.messages) ? frame.messages : []).map(toMessage).filter(Boolean);
  let added = 0;
  for (const m of messages) if (storeMessage(room, m) === 'added') added += 1;
  // An empty page that still claims "more" would make us ask again forever.
  room.hasMore = Boolean(frame.hasMore) && added > 0;

  if (room !== activeRoom()) return;
  if (added > 0) {
    renderActiveRoom();
    list.scrollTop = list.scrollHeight - fromBottom;   // keep what the user was looking at in place
  } else {
    renderHistoryStatus();
  }
  maybeLoadOlder();                          // still at the top (short page)? fetch the next one
}

// ---------------------------------------------------------------------------------------------
// Typing indicator
// ---------------------------------------------------------------------------------------------

function onComposerInput() {
  const room = activeRoom();
  if (room) room.draft = $('composer').value;
  autoGrowComposer();
  if (!canSendTo(room)) return;
  if ($('composer').value.trim() === '') { stopTyping(); return; }

  const out = state.typingOut;
  if (out.room && out.room !== room.name) stopTyping();
  const now = Date.now();
  if (!out.active || now - out.sentAt >= TYPING_THROTTLE_MS) {
    sendFrame({ type: 'typing', room: room.name, active: true });
    out.room = room.name;
    out.active = true;
    out.sentAt = now;
  }
  clearTimeout(out.idleTimer);
  out.idleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
}

function stopTyping() {
  const out = state.typingOut;
  const room = out.room && state.rooms.get(out.room);
  if (out.active && room && room.status === 'joined') {
    sendFrame({ type: 'typing', room: out.room, active: false });
  }
  resetTypingOut();
}

function resetTypingOut() {
  const out = state.typingOut;
  clearTimeout(out.idleTimer);
  Object.assign(out, { room: null, active: false, sentAt: 0, idleTimer: null });
}

function onTyping(frame) {
  const room = state.rooms.get(frame.room);
  if (!room || frame.user == null) return;
  const user = String(frame.user);
  if (user === state.user) return;          // our other tabs: not worth telling ourselves
  clearTimeout(room.typing.get(user));
  if (frame.active) {
    // The sender refreshes every 2 s while typing; 5 s of silence means it stopped or vanished.
    room.typing.set(user, setTimeout(() => expireTyping(room, user), TYPING_EXPIRE_MS));
  } else {
    room.typing.delete(user);
  }
  if (room === activeRoom()) renderTyping();
}

function expireTyping(room, user) {
  if (!room.typing.has(user)) return;
  clearTimeout(room.typing.get(user));
  room.typing.delete(user);
  if (room === activeRoom()) renderTyping();
}

function clearIncomingTyping(room) {
  for (const timer of room.typing.values()) clearTimeout(timer);
  room.typing.clear();
}

function renderTyping() {
  const room = activeRoom();
  const names = room ? [...room.typing.keys()].map(displayName) : [];
  let text = '';
  if (names.length === 1) text = `${names[0]} is typing…`;
  else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
  else if (names.length > 2) text = `${names.length} people are typing…`;
  $('typing').textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Members and presence
// ---------------------------------------------------------------------------------------------

function onMemberJoined(frame) {
  const room = state.rooms.get(frame.room);
  if (!room || frame.user == null) return;
  const user = String(frame.user);
  if (frame.name) state.names.set(user, String(frame.name));
  room.members.add(user);
  // Someone who just joined has a socket, so is at least online (a presence frame may refine it).
  if (!state.presence.has(user) || state.presence.get(user) === 'offline') state.presence.set(user, 'online');
  if (room === activeRoom()) { renderMembers(); renderRoomHeader(); }
}

function onMemberLeft(frame) {
  const room = state.rooms.get(frame.room);
  if (!room || frame.user == null) return;
  const user = String(frame.user);
  if (frame.name) state.names.set(user, String(frame.name));
  room.members.delete(user);
  expireTyping(room, user);
  if (room === activeRoom()) { renderMembers(); renderRoomHeader(); }
}

function onPresence(frame) {
  if (frame.user == null || !STATUSES.includes(frame.status)) return;
  const user = String(frame.user);
  state.presence.set(user, frame.status);
  state.presenceFrameAt.set(user, Date.now());
  if (user === state.user && frame.status !== 'offline') {
    // Another tab of ours changed the status: follow it.
    state.myStatus = frame.status;
    $('status-select').value = frame.status;
  }
  if (user === state.user) renderWhoami();
  if (activeRoom()?.members.has(user)) renderMembers();
}

/** Initial statuses for a room's members; `presence` frames that arrive meanwhile win. */
async function fetchPresence(users) {
  const epoch = state.epoch;
  const startedAt = Date.now();
  const wanted = [...new Set(users)].filter((u) => u !== state.user);
  for (let i = 0; i < wanted.length; i += PRESENCE_BATCH) {
    const query = wanted.slice(i, i + PRESENCE_BATCH).map((u) => `user=${encodeURIComponent(u)}`).join('&');
    let body;
    try {
      const response = await fetch(`api/presence?${query}`, {
        headers: { Authorization: `Bearer ${state.token}`, Accept: 'application/json' },
        cache: 'no-store',
      });
      if (!response.ok) continue;            // dots stay "unknown" until a presence frame comes
      body = await response.json();
    } catch {
      continue;
    }
    if (epoch !== state.epoch || !body || typeof body !== 'object') return;
    for (const [user, status] of Object.entries(body)) {
      if (!STATUSES.includes(status)) continue;
      if ((state.presenceFrameAt.get(user) || 0) >= startedAt) continue;
      state.presence.set(user, status);
    }
    renderMembers();
  }
}

const STATUS_ORDER = { online: 0, busy: 1, away: 2, unknown: 3, offline: 4 };

function statusOf(user) {
  return state.presence.get(user) || 'unknown';
}

function renderMembers() {
  const room = activeRoom();
  const list = $('members');
  if (!room) {
    list.replaceChildren();
    $('member-count').textContent = '';
    return;
  }
  const users = [...room.members].sort((a, b) =>
    (STATUS_ORDER[statusOf(a)] - STATUS_ORDER[statusOf(b)]) ||
    displayName(a).localeCompare(displayName(b), undefined, { sensitivity: 'base' }));
  const fragment = document.createDocumentFragment();
  for (const user of users) {
    const status = statusOf(user);
    const name = displayName(user);
    const item = el('li', { class: `member${user === state.user ? ' me' : ''}`, 'data-user': user },
      el('span', { class: 'presence-dot', 'data-status': status, title: status, 'aria-label': status }),
      el('span', { class: 'member-name' }, name),
      user === state.user ? el('span', { class: 'member-you' }, '(you)') : null,
      name !== user ? el('span', { class: 'member-user' }, `@${user}`) : null);
    fragment.append(item);
  }
  list.replaceChildren(fragment);
  $('member-count').textContent = String(users.length);
}

function onStatusChange() {
  const status = $('status-select').value;
  if (!['online', 'away', 'busy'].includes(status)) return;
  state.myStatus = status;
  state.presence.set(state.user, status);
  sendFrame({ type: 'status', status });    // when offline, `welcome` sends it on reconnect
  renderWhoami();
  renderMembers();
}

// ---------------------------------------------------------------------------------------------
// Errors, notifications, direct messages
// ---------------------------------------------------------------------------------------------

function errorText(frame) {
  let text = `${frame.code || 'error'}: ${frame.message || 'unknown error'}`;
  const retry = Number(frame.retryAfterMs);
  if (retry > 0) text += ` — retry in ${(retry / 1000).toFixed(1)} s`;
  return text;
}

function onErrorFrame(frame) {
  const ref = frame.ref != null ? String(frame.ref) : null;
  const send = ref && state.pendingSends.get(ref);
  if (send) {
    failSend(send, frame);
  } else if (ref && state.pendingRefs.has(ref)) {
    const pending = state.pendingRefs.get(ref);
    state.pendingRefs.delete(ref);
    if (pending.kind === 'join') { failJoin(pending.room, frame); return; }
    const room = state.rooms.get(pending.room);
    if (room) {
      finishHistory(room, ref);
      // Permanent refusals: stop asking. Others (unavailable, internal) retry on the next scroll.
      if (['forbidden', 'invalid_name', 'bad_request'].includes(frame.code)) room.hasMore = false;
    }
  } else if (!ref && ['forbidden', 'invalid_name'].includes(frame.code) && state.joinQueue.length > 0) {
    // A server that does not echo refs on joins: errors arrive in the order the joins were sent.
    failJoin(state.joinQueue[0], frame);
    return;
  }
  showError(frame.code, errorText(frame));
}

function showError(code, text) {
  $('error-text').textContent = text;
  $('error-bar').dataset.code = code || '';
  show($('error-bar'), true);
}

function hideError() {
  show($('error-bar'), false);
  $('error-text').textContent = '';
}

function onNotification(frame) {
  const event = String(frame.event || 'notification');
  toast(`${event}: ${summarize(event, frame.data)}`, 'notification');
  if (event.startsWith('order.') && frame.data && typeof frame.data === 'object') showOrder(frame.data);
}

// ---------------------------------------------------------------------------------------------
// Orders: a minimal form to try POST /api/orders; status changes arrive as notifications
// ---------------------------------------------------------------------------------------------

async function onOrderSubmit(event) {
  event.preventDefault();
  const error = $('order-error');
  show(error, false);
  const sku = $('order-sku').value.trim();
  const qty = Number($('order-qty').value);
  const price = $('order-price').value.trim();
  // total in cents to keep the browser's floating point out of the server's exact check
  const cents = Math.round(Number(price) * 100) * qty;
  const body = { userId: state.user, items: [{ sku, qty, price: Number(price) }], total: cents / 100 };
  $('order-button').disabled = true;
  try {
    const response = await fetch('api/orders', {
      method: 'POST',
      headers: { Authorization: `Bearer ${state.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      error.textContent = await problemText(response);
      show(error, true);
      return;
    }
    showOrder(await response.json());
  } catch {
    error.textContent = 'The order could not be sent: no connection to the server.';
    show(error, true);
  } finally {
    $('order-button').disabled = false;
  }
}

/** Adds or updates an order line; a notification may arrive before the POST's answer. */
function showOrder(order) {
  if (!order || typeof order.orderId !== 'string') return;
  const list = $('orders');
  let item = [...list.children].find((li) => li.dataset.id === order.orderId);
  const rank = { pending: 0, confirmed: 1, failed: 1 };
  if (item && (rank[item.dataset.status] ?? 0) > (rank[order.status] ?? 0)) return;   // never step back to pending
  const total = typeof order.total === 'number' ? order.total.toFixed(2) : String(order.total);
  const label = `${order.items?.[0]?.sku ?? 'order'} · ${total}`;
  const fresh = el('li', { class: 'order', 'data-id': order.orderId, 'data-status': String(order.status), title: order.orderId },
    el('span', { class: 'order-label' }, label), el('span', { class: 'order-status' }, String(order.status)));
  if (item) item.replaceWith(fresh); else list.prepend(fresh);
  while (list.children.length > 10) list.lastElementChild.remove();
}

function summarize(event, data) {
  if (data == null || typeof data !== 'object') return String(data ?? '');
  const subject = event.split('.')[0];
  const id = data.orderId ?? data.id;
  if (id != null && data.status != null) return `${subject} ${id} ${data.status}`;
  const json = JSON.stringify(data);
  return json.length > 140 ? `${json.slice(0, 139)}…` : json;
}

function onDirect(frame) {
  // No conversation view on this page yet; at least don't let a private message go unseen.
  if (String(frame.from) === state.user) return;
  const text = String(frame.text ?? '');
  const from = frame.name || frame.from;
  toast(`Direct message from ${from}: ${text.length > 140 ? text.slice(0, 139) + '…' : text}`, 'direct');
}

function toast(text, kind) {
  const container = $('toasts');
  const item = el('div', { class: `toast ${kind}`, role: 'status', title: 'Click to dismiss' }, text);
  item.addEventListener('click', () => item.remove());
  container.append(item);
  while (container.children.length > MAX_TOASTS) container.firstElementChild.remove();
  setTimeout(() => item.remove(), TOAST_MS);
}

// ---------------------------------------------------------------------------------------------
// Rendering of the chrome (sidebar, header, banner, composer)
// ---------------------------------------------------------------------------------------------

function renderAll() {
  renderWhoami();
  renderConnection();
  renderRoomList();
  renderRoomHeader();
  renderActiveRoom();
  renderMembers();
  renderTyping();
  renderComposer();
  updateTitle();
}

function setConnection(connection, reason) {
  state.connection = connection;
  state.disconnectReason = reason || null;
  renderConnection();
  renderWhoami();
  renderComposer();
  renderRoomHeader();
}

function renderConnection() {
  const pill = $('connection-state');
  pill.textContent = state.connection;
  pill.dataset.state = state.connection;
  renderBanner();
}

function renderBanner() {
  const banner = $('reconnect-banner');
  const r = state.reconnect;
  let text = null;
  if (state.connection === 'reconnecting') {
    const seconds = Math.max(0, Math.ceil((r.dueAt - Date.now()) / 1000));
    text = r.timer && seconds > 0
      ? `Connection lost. Reconnecting in ${seconds} s…`
      : 'Connection lost. Reconnecting…';
  } else if (state.connection === 'disconnected' && state.disconnectReason) {
    text = `Disconnected. ${state.disconnectReason}`;
  }
  $('reconnect-text').textContent = text || '';
  banner.dataset.state = state.connection;
  show(banner, Boolean(text));
}

function renderWhoami() {
  const box = $('whoami');
  box.dataset.user = state.user || '';
  box.dataset.node = state.node || '';
  $('whoami-name').textContent = state.name || state.user || '';
  $('whoami-user').textContent = state.user && state.name !== state.user ? `@${state.user}` : '';
  $('whoami-node').textContent = state.node || '–';
  $('whoami-dot').dataset.status = isConnected() ? state.myStatus : 'offline';
}

function renderRoomList() {
  const fragment = document.createDocumentFragment();
  for (const room of state.rooms.values()) fragment.append(buildRoomItem(room));
  $('rooms').replaceChildren(fragment);
  show($('rooms-empty'), state.rooms.size === 0);
}

function buildRoomItem(room) {
  const active = room.name === state.activeRoom;
  const unread = room.unread > 0
    ? el('span', { class: 'room-unread', title: `${room.unread} unread` }, room.unread > 99 ? '99+' : String(room.unread))
    : null;
  const open = el('button', { type: 'button', class: 'room-open', 'aria-current': active ? 'true' : null },
    el('span', { class: 'room-hash', 'aria-hidden': 'true' }, '#'),
    el('span', { class: 'room-name' }, room.name),
    unread);
  const leave = el('button', { type: 'button', class: 'room-leave', title: `Leave #${room.name}`, 'aria-label': `Leave #${room.name}` }, '×');
  const classes = `room-item${active ? ' active' : ''}${room.status === 'joining' ? ' joining' : ''}`;
  return el('li', { class: classes, 'data-room': room.name }, open, leave);
}

function onRoomListClick(event) {
  const item = event.target.closest('.room-item');
  if (!item) return;
  if (event.target.closest('.room-leave')) leaveRoom(item.dataset.room);
  else if (item.dataset.room !== state.activeRoom) switchRoom(item.dataset.room);
}

function renderRoomHeader() {
  const room = activeRoom();
  $('room-title').textContent = room ? `#${room.name}` : 'No room selected';
  let meta = '';
  if (room) {
    if (room.status === 'joined') meta = `${room.members.size} member${room.members.size === 1 ? '' : 's'}`;
    else meta = isConnected() ? 'joining…' : 'waiting for connection…';
  }
  $('room-meta').textContent = meta;
  show($('leave-button'), Boolean(room));
}

function renderComposer() {
  const room = activeRoom();
  const composer = $('composer');
  composer.disabled = !room;
  composer.placeholder = room ? `Message #${room.name}` : 'Join a room to chat';
  $('send-button').disabled = !room;          // offline sends are queued, see transmit()
  let hint = 'Enter to send · Shift+Enter for a new line';
  if (room && !isConnected()) hint = 'Offline — messages you send now go out when the connection is back.';
  else if (room && room.status !== 'joined') hint = `Joining #${room.name}… messages you send now go out once joined.`;
  $('composer-hint').textContent = hint;
  $('composer-hint').dataset.state = canSendTo(room) || !room ? 'ok' : 'blocked';
}

function autoGrowComposer() {
  const composer = $('composer');
  composer.style.height = 'auto';
  // box-sizing is border-box: the height must include the borders, which scrollHeight leaves out
  const borders = composer.offsetHeight - composer.clientHeight;
  composer.style.height = `${Math.min(composer.scrollHeight + borders, 200)}px`;
}

function updateTitle() {
  let unread = 0;
  for (const room of state.rooms.values()) unread += room.unread;
  document.title = unread > 0 ? `(${unread}) Switchboard` : 'Switchboard';
}

// ---------------------------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------------------------

function init() {
  $('login-user').value = storageGet(STORAGE_USER) || '';
  $('login-name').value = storageGet(STORAGE_NAME) || '';
  $('login-form').addEventListener('submit', onLoginSubmit);

  $('join-form').addEventListener('submit', onJoinSubmit);
  $('room-input').addEventListener('input', () => showRoomError(null));
  $('rooms').addEventListener('click', onRoomListClick);
  $('leave-button').addEventListener('click', () => { if (state.activeRoom) leaveRoom(state.activeRoom); });

  $('composer-form').addEventListener('submit', onComposerSubmit);
  $('order-form').addEventListener('submit', onOrderSubmit);
  $('composer').addEventListener('keydown', onComposerKeydown);
  $('composer').addEventListener('input', onComposerInput);

  $('messages').addEventListener('scroll', onMessagesScroll, { passive: true });
  $('messages').addEventListener('click', onMessageAction);
  $('jump-latest').addEventListener('click', scrollToBottom);

  $('status-select').addEventListener('change', onStatusChange);
  $('logout-button').addEventListener('click', signOut);
  $('error-dismiss').addEventListener('click', hideError);
  $('room-notice-dismiss').addEventListener('click', () => {
    const room = activeRoom();
    if (room) room.notice = null;
    renderNotice();
  });
  $('reconnect-now').addEventListener('click', () => {
    state.reconnect.refusals = 0;
    state.reconnect.attempt = 0;
    reconnectNow();
  });
  // Back online: no point waiting out the backoff.
  window.addEventListener('online', () => {
    if (state.user && state.reconnect.timer) reconnectNow();
  });

  const focusTarget = $('login-user').value ? $('login-name') : $('login-user');
  focusTarget.focus();
}

init();
