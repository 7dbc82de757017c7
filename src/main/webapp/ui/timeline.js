// The middle column: the room header, the messages of the active room (confirmed ones by seq,
// then the own ones not yet acknowledged), scrolling, and paging older history in at the top.
import { $, el, show } from './dom.js';
import { errorText, showError } from './notices.js';
import { toMessage } from './room.js';

const HISTORY_PAGE = 50;
const NEAR_BOTTOM_PX = 80;
const NEAR_TOP_PX = 60;
// History refusals that asking again won't change; others (unavailable, internal) retry on the next scroll.
const FINAL_HISTORY_ERRORS = ['forbidden', 'invalid_name', 'bad_request'];

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

export class Timeline {
  constructor(chat) {
    this.chat = chat;
    const options = { signal: chat.signal };
    $('messages').addEventListener('scroll', () => this.onScroll(), { passive: true, signal: chat.signal });
    $('messages').addEventListener('click', (event) => this.onMessageAction(event), options);
    $('jump-latest').addEventListener('click', () => this.scrollToBottom(), options);
    $('leave-button').addEventListener('click', () => {
      if (chat.activeName) chat.leaveRoom(chat.activeName);
    }, options);
    $('room-notice-dismiss').addEventListener('click', () => {
      const room = chat.activeRoom();
      if (room) room.notice = null;
      this.renderNotice();
    }, options);
  }

  renderRoomHeader() {
    const room = this.chat.activeRoom();
    $('room-title').textContent = room ? `#${room.name}` : 'No room selected';
    let meta = '';
    if (room) {
      if (room.status === 'joined') meta = `${room.members.size} member${room.members.size === 1 ? '' : 's'}`;
      else meta = this.chat.connected ? 'joining…' : 'waiting for connection…';
    }
    $('room-meta').textContent = meta;
    show($('leave-button'), Boolean(room));
  }

  // ---- messages ----

  /** One message element, for a confirmed message or an outbox entry. */
  buildMessage(m) {
    const mine = m.from === this.chat.user;
    const item = el('div', {
      class: `message${mine ? ' mine' : ''}${m.status ? ' ' + m.status : ''}`,
      'data-id': m.id, 'data-seq': m.seq, 'data-ref': m.ref, 'data-local': m.key, 'data-from': m.from,
    });
    const name = m.name || this.chat.displayName(m.from);
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

  buildOutboxMessage(entry) {
    return this.buildMessage({
      key: entry.key, ref: entry.ref, from: this.chat.user, name: this.chat.name, text: entry.text,
      ts: entry.sentAt, node: null, status: entry.status, error: entry.error,
    });
  }

  messageElement(id) {
    return $('messages').querySelector(`.message[data-id="${CSS.escape(id)}"]`);
  }

  outboxElement(entry) {
    return $('messages').querySelector(`.message[data-local="${CSS.escape(entry.key)}"]`);
  }

  /** Shows a message that came in for the active room; result is what Room.store answered. */
  showMessage(message, result, stick) {
    this.upsertMessageElement(message);
    this.renderHistoryStatus();
    if (result !== 'added') return;
    const list = $('messages');
    if (stick) this.scrollToBottom();
    else if (list.scrollHeight > list.clientHeight) show($('jump-latest'), true);
  }

  /** Puts a confirmed message in its place by seq: after the last shown one with a lower seq. */
  upsertMessageElement(message) {
    const fresh = this.buildMessage(message);
    const existing = this.messageElement(message.id);
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
  renderOutboxEntry(entry) {
    const room = this.chat.rooms.get(entry.room);
    if (!room || room !== this.chat.activeRoom() || !room.outbox.includes(entry)) return;
    const fresh = this.buildOutboxMessage(entry);
    const existing = this.outboxElement(entry);
    if (existing) existing.replaceWith(fresh); else $('messages').append(fresh);
  }

  renderActiveRoom() {
    const room = this.chat.activeRoom();
    const list = $('messages');
    const status = $('history-status');
    show($('empty-state'), !room);
    show(list, Boolean(room));
    show($('jump-latest'), false);
    if (!room) { list.replaceChildren(status); return; }
    const fragment = document.createDocumentFragment();
    fragment.append(status);
    for (const message of room.messages) fragment.append(this.buildMessage(message));
    for (const entry of room.outbox) fragment.append(this.buildOutboxMessage(entry));
    list.replaceChildren(fragment);
    this.renderHistoryStatus();
    this.renderNotice();
  }

  renderHistoryStatus() {
    const room = this.chat.activeRoom();
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

  renderNotice() {
    const room = this.chat.activeRoom();
    $('room-notice-text').textContent = room?.notice || '';
    show($('room-notice'), Boolean(room?.notice));
  }

  onMessageAction(event) {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const item = button.closest('.message');
    const room = this.chat.activeRoom();
    const entry = room && room.outbox.find((e) => e.key === item?.dataset.local);
    if (entry) this.chat.composer.act(room, entry, button.dataset.action);
  }

  // ---- scrolling ----

  isNearBottom() {
    const list = $('messages');
    return list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
  }

  scrollToBottom() {
    const list = $('messages');
    list.scrollTop = list.scrollHeight;
    show($('jump-latest'), false);
  }

  rememberScroll(room) {
    room.atBottom = this.isNearBottom();
    room.scrollTop = $('messages').scrollTop;
  }

  restoreScroll(room) {
    if (!room) return;
    if (room.atBottom) this.scrollToBottom(); else $('messages').scrollTop = room.scrollTop;
  }

  onScroll() {
    if (this.isNearBottom()) show($('jump-latest'), false);
    this.maybeLoadOlder();
  }

  // ---- history: page older messages in when the list is scrolled to the top ----

  maybeLoadOlder() {
    const chat = this.chat;
    const room = chat.activeRoom();
    if (!room || !room.hasMore || room.historyLoading || !chat.connected) return;
    if ($('messages').scrollTop > NEAR_TOP_PX) return;
    const before = room.messages.length > 0 ? room.messages[0].seq : room.lastSeq + 1;
    room.historyLoading = true;
    chat.client.history({ room: room.name, before, limit: HISTORY_PAGE }).then(
      (frame) => this.onHistory(room, frame),
      (error) => this.onHistoryFailed(room, error));
    this.renderHistoryStatus();
  }

  /** Whether an answer about this room still matters: same session, room still held. */
  stillHeld(room) {
    return !this.chat.closed && this.chat.rooms.get(room.name) === room;
  }

  finishHistory(room) {
    room.historyLoading = false;
    if (room === this.chat.activeRoom()) this.renderHistoryStatus();
  }

  onHistory(room, frame) {
    if (!this.stillHeld(room)) return;
    this.finishHistory(room);
    const list = $('messages');
    const fromBottom = list.scrollHeight - list.scrollTop;
    const messages = (Array.isArray(frame.messages) ? frame.messages : []).map(toMessage).filter(Boolean);
    let added = 0;
    for (const m of messages) if (this.chat.store(room, m) === 'added') added += 1;
    // An empty page that still claims "more" would make us ask again forever.
    room.hasMore = Boolean(frame.hasMore) && added > 0;

    if (room !== this.chat.activeRoom()) return;
    if (added > 0) {
      this.renderActiveRoom();
      list.scrollTop = list.scrollHeight - fromBottom;   // keep what the user was looking at in place
    } else {
      this.renderHistoryStatus();
    }
    this.maybeLoadOlder();                   // still at the top (short page)? fetch the next one
  }

  onHistoryFailed(room, error) {
    if (!this.stillHeld(room)) return;
    this.finishHistory(room);
    // No answer in time, or the socket dropped: the next scroll asks again.
    if (['timeout', 'disconnected', 'closed'].includes(error.code)) return;
    if (FINAL_HISTORY_ERRORS.includes(error.code)) room.hasMore = false;
    showError(error.code, errorText(error));
  }
}
