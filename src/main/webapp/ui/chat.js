// One signed-in session of the page: the protocol client, the rooms the user holds, and the views
// that show them. Views get this object and reach each other through it; everything a session
// registers (DOM listeners, timers, the socket) ends with signOut(), so the next sign-in starts clean.
import { SwitchboardClient, NAME_RE, requestDevToken } from '../client/switchboard.js';
import { $, storageGet, storageSet } from './dom.js';
import { errorText, hideError, showError, summarize, toast } from './notices.js';
import { People } from './people.js';
import { Room, toMessage } from './room.js';
import { Sidebar } from './sidebar.js';
import { Timeline } from './timeline.js';
import { Composer } from './composer.js';
import { Typing } from './typing.js';
import { Members } from './members.js';
import { Orders } from './orders.js';

const storageRoomsKey = (user) => `switchboard.rooms.${user}`;
const storageActiveKey = (user) => `switchboard.active.${user}`;
const ignore = () => {};

export class Chat {
  /**
   * @param {{user: string, requestedName: string, token: {token: string, expiresAt: number},
   *          onSignOut: () => void}} session
   */
  constructor({ user, requestedName, token, onSignOut }) {
    this.user = user;
    this.name = requestedName || user;        // own display name; `welcome` has the server's
    this.myStatus = 'online';
    this.closed = false;
    this.rooms = new Map();                   // name -> Room; insertion order = sidebar order
    this.activeName = null;
    this.people = new People();
    this.people.presence.set(user, 'online');
    this.onSignOut = onSignOut;
    this.listeners = new AbortController();   // every DOM listener of this session
    this.signal = this.listeners.signal;
    this.client = new SwitchboardClient({
      url: new URL('ws', document.baseURI),   // relative to the page: works behind a context path or proxy
      token,
      tokenProvider: () => requestDevToken(document.baseURI, user, requestedName),
    });
    this.sidebar = new Sidebar(this);
    this.timeline = new Timeline(this);
    this.composer = new Composer(this);
    this.typing = new Typing(this);
    this.members = new Members(this);
    this.orders = new Orders(this);
    this.listenToClient();
  }

  start() {
    this.restoreRooms();
    $('status-select').value = 'online';
    this.renderAll();
    this.client.connect();
    (this.activeRoom() ? $('composer') : $('room-input')).focus();
  }

  signOut() {
    this.composer.stopTyping();
    this.closed = true;
    this.client.close();
    this.listeners.abort();
    this.sidebar.dispose();
    for (const room of this.rooms.values()) room.clearTimers();
    this.orders.clear();
    hideError();
    this.onSignOut();
  }

  listenToClient() {
    const on = (type, handler) => this.client.on(type, (detail) => { if (!this.closed) handler(detail); });
    on('state', () => {
      this.sidebar.renderConnection();
      this.sidebar.renderWhoami();
      this.composer.render();
      this.timeline.renderRoomHeader();
    });
    on('disconnect', () => this.resetAfterDisconnect());
    on('welcome', (frame) => this.onWelcome(frame));
    on('joined', (frame) => this.onJoined(frame));
    on('join_error', ({ room, error }) => this.failJoin(room, error));
    on('left', (frame) => this.onLeft(frame));
    on('message', (frame) => this.onMessage(frame));
    on('ack', (frame) => this.composer.onLateAck(frame));
    on('member_joined', (frame) => this.members.onMemberJoined(frame));
    on('member_left', (frame) => this.members.onMemberLeft(frame));
    on('presence', (frame) => this.members.onPresence(frame));
    on('typing', (frame) => this.typing.onTyping(frame));
    on('notification', (frame) => this.onNotification(frame));
    on('direct', (frame) => this.onDirect(frame));
    // An `error` frame that answers nothing we asked, or the client's own (refusals, tokens).
    on('error', (error) => showError(error.code, error.type === 'error' ? errorText(error) : error.message));
  }

  // ------------------------------------------------------------------------------------------
  // Queries the views share
  // ------------------------------------------------------------------------------------------

  activeRoom() {
    return this.activeName ? this.rooms.get(this.activeName) || null : null;
  }

  get connected() {
    return this.client.connected;
  }

  canSendTo(room) {
    return Boolean(room) && room.status === 'joined' && this.connected;
  }

  displayName(user) {
    if (user === this.user && this.name) return this.name;
    return this.people.names.get(user) || user;
  }

  /** Adds or updates a message in its room; see Room.store. */
  store(room, message) {
    this.people.learnName(message.from, message.name);
    return room.store(message);
  }

  renderAll() {
    this.sidebar.renderWhoami();
    this.sidebar.renderConnection();
    this.sidebar.renderRoomList();
    this.timeline.renderRoomHeader();
    this.timeline.renderActiveRoom();
    this.members.render();
    this.typing.render();
    this.composer.render();
    this.sidebar.updateTitle();
  }

  // ------------------------------------------------------------------------------------------
  // Connection
  // ------------------------------------------------------------------------------------------

  onWelcome(frame) {
    if (frame.name) this.name = String(frame.name);
    // Presence is per socket on the server: the client sends our status again on a new socket.
    this.people.presence.set(this.user, this.myStatus);
    this.renderAll();
  }

  /** After any disconnect the client rejoins every room; until then nothing is joined. */
  resetAfterDisconnect() {
    this.composer.resetTypingOut();
    this.composer.forgetRefs();
    for (const room of this.rooms.values()) {
      room.status = 'joining';
      room.historyLoading = false;
      room.clearTyping();
    }
    this.sidebar.renderRoomList();
    this.timeline.renderRoomHeader();
    this.typing.render();
    this.timeline.renderHistoryStatus();
  }

  // ------------------------------------------------------------------------------------------
  // Rooms
  // ------------------------------------------------------------------------------------------

  joinRoom(name) {
    if (!this.rooms.has(name)) {
      this.rooms.set(name, new Room(name));
      this.client.join(name).catch(ignore);   // refusals come as `join_error`
      this.saveRooms();
    }
    this.switchRoom(name);
  }

  leaveRoom(name) {
    const room = this.rooms.get(name);
    if (!room) return;
    if (this.composer.typingRoom() === name) this.composer.stopTyping();
    this.client.leave(name);
    room.clearTimers();
    this.composer.forgetRoom(room);
    this.rooms.delete(name);
    if (this.activeName === name) {
      const next = this.rooms.keys().next();
      this.activeName = null;
      if (!next.done) this.switchRoom(next.value); else this.renderAll();
    } else {
      this.sidebar.renderRoomList();
    }
    this.saveRooms();
    this.sidebar.updateTitle();
  }

  switchRoom(name) {
    const previous = this.activeRoom();
    if (previous && previous.name !== name) {
      previous.draft = $('composer').value;
      this.timeline.rememberScroll(previous);
      this.composer.stopTyping();
    }
    this.activeName = name;
    const room = this.activeRoom();
    if (room) room.unread = 0;
    this.saveRooms();
    this.renderAll();
    this.timeline.restoreScroll(room);
    this.composer.loadDraft(room);
    this.timeline.maybeLoadOlder();
  }

  onJoined(frame) {
    const room = this.rooms.get(frame.room);
    if (!room) return;                        // left while the join was in flight
    const latestSeq = Number(frame.seq) || 0;
    const messages = (Array.isArray(frame.messages) ? frame.messages : []).map(toMessage).filter(Boolean);
    const recovered = frame.recovered === true;
    if (!recovered) {
      room.keepOnlyNewerThan(latestSeq);
      if (frame.recovered === false) {
        room.notice = 'Some messages were skipped while you were disconnected; showing the latest ones. ' +
          'Scroll up to load older messages.';
      }
    }
    for (const m of messages) this.store(room, m);
    room.lastSeq = Math.max(room.lastSeq, latestSeq);
    if (!recovered) room.hasMore = room.computeHasMore();

    room.members = new Set((frame.members || []).map(String));
    room.members.add(this.user);
    room.status = 'joined';
    this.composer.reconcile(room, recovered);

    this.members.fetchPresence([...room.members]);
    this.sidebar.renderRoomList();
    if (room === this.activeRoom()) {
      // A replaced page jumps to the newest messages; recovered ones only add below the view.
      const stick = this.timeline.isNearBottom() || !recovered;
      this.timeline.renderActiveRoom();
      this.timeline.renderRoomHeader();
      this.members.render();
      this.composer.render();
      if (stick) this.timeline.scrollToBottom();
      this.timeline.maybeLoadOlder();
    }
    // Messages written while offline or joining go out now, in the order they were written.
    for (const entry of room.outbox.filter((e) => e.status === 'queued')) this.composer.transmit(entry);
  }

  failJoin(name, error) {
    const room = this.rooms.get(name);
    if (!room) return;
    showError(error.code, `Could not join #${name} — ${errorText(error)}`);
    this.leaveRoomLocally(room);
  }

  onLeft(frame) {
    // We remove rooms as soon as the user clicks "leave"; a `left` for a room we still hold
    // means the server took us out, so follow it.
    const room = this.rooms.get(frame.room);
    if (room && room.status === 'joined') this.leaveRoomLocally(room);
  }

  /** Removes a room the server would not let us into, or took us out of (nothing to send back). */
  leaveRoomLocally(room) {
    room.clearTimers();
    this.rooms.delete(room.name);
    if (this.activeName === room.name) {
      const next = this.rooms.keys().next();
      this.activeName = null;
      if (!next.done) { this.switchRoom(next.value); return; }
    }
    this.saveRooms();
    this.renderAll();
  }

  saveRooms() {
    storageSet(storageRoomsKey(this.user), JSON.stringify([...this.rooms.keys()]));
    storageSet(storageActiveKey(this.user), this.activeName);
  }

  restoreRooms() {
    let names = [];
    try { names = JSON.parse(storageGet(storageRoomsKey(this.user)) || '[]'); } catch { names = []; }
    for (const name of Array.isArray(names) ? names : []) {
      if (typeof name !== 'string' || !NAME_RE.test(name) || this.rooms.has(name)) continue;
      this.rooms.set(name, new Room(name));
      this.client.join(name).catch(ignore);   // sent once the socket is welcomed
    }
    const active = storageGet(storageActiveKey(this.user));
    this.activeName = active && this.rooms.has(active) ? active : (this.rooms.keys().next().value ?? null);
  }

  // ------------------------------------------------------------------------------------------
  // Incoming messages, notifications, direct messages
  // ------------------------------------------------------------------------------------------

  onMessage(frame) {
    const room = this.rooms.get(frame.room);
    const message = toMessage(frame);
    if (!room || !message) return;
    this.typing.expire(room, message.from);
    const active = room === this.activeRoom();
    const stick = active && (this.timeline.isNearBottom() || message.from === this.user);
    const result = this.store(room, message);
    if (result === 'same') return;
    if (!active) {
      if (result === 'added' && message.from !== this.user) {
        room.unread += 1;
        this.sidebar.renderRoomList();
        this.sidebar.updateTitle();
      }
      return;
    }
    this.timeline.showMessage(message, result, stick);
  }

  onNotification(frame) {
    const event = String(frame.event || 'notification');
    toast(`${event}: ${summarize(event, frame.data)}`, 'notification');
    if (event.startsWith('order.') && frame.data && typeof frame.data === 'object') this.orders.show(frame.data);
  }

  onDirect(frame) {
    // No conversation view on this page yet; at least don't let a private message go unseen.
    if (String(frame.from) === this.user) return;
    const text = String(frame.text ?? '');
    const from = frame.name || frame.from;
    toast(`Direct message from ${from}: ${text.length > 140 ? text.slice(0, 139) + '…' : text}`, 'direct');
  }
}
