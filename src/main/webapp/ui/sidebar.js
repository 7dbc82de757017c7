// The left column: who am I, the connection state and its banner, status, rooms, and the
// window title's unread count.
import { NAME_RE } from '../client/switchboard.js';
import { $, el, show } from './dom.js';

export class Sidebar {
  constructor(chat) {
    this.chat = chat;
    this.bannerTick = null;                   // counts the reconnect delay down while one is due
    const options = { signal: chat.signal };
    $('join-form').addEventListener('submit', (event) => this.onJoinSubmit(event), options);
    $('room-input').addEventListener('input', () => this.showRoomError(null), options);
    $('rooms').addEventListener('click', (event) => this.onRoomListClick(event), options);
    $('status-select').addEventListener('change', () => this.onStatusChange(), options);
    $('logout-button').addEventListener('click', () => chat.signOut(), options);
    $('reconnect-now').addEventListener('click', () => chat.client.reconnectNow(), options);
    // Back online: no point waiting out the backoff.
    window.addEventListener('online', () => {
      if (chat.client.reconnectDueAt) chat.client.reconnectNow({ resetBackoff: false });
    }, options);
  }

  dispose() {
    clearInterval(this.bannerTick);
    this.bannerTick = null;
    this.renderConnection();
  }

  renderConnection() {
    const state = this.chat.closed ? 'disconnected' : this.chat.client.state;
    const pill = $('connection-state');
    pill.textContent = state;
    pill.dataset.state = state;
    if (state === 'reconnecting' && !this.bannerTick) {
      this.bannerTick = setInterval(() => this.renderBanner(), 500);
    } else if (state !== 'reconnecting' && this.bannerTick) {
      clearInterval(this.bannerTick);
      this.bannerTick = null;
    }
    this.renderBanner();
  }

  renderBanner() {
    const client = this.chat.client;
    const state = this.chat.closed ? 'disconnected' : client.state;
    let text = null;
    if (state === 'reconnecting') {
      const dueAt = client.reconnectDueAt;
      const seconds = Math.max(0, Math.ceil((dueAt - Date.now()) / 1000));
      text = dueAt && seconds > 0 ? `Connection lost. Reconnecting in ${seconds} s…` : 'Connection lost. Reconnecting…';
    } else if (state === 'disconnected' && client.reason && !this.chat.closed) {
      text = `Disconnected. ${client.reason}`;
    }
    $('reconnect-text').textContent = text || '';
    const banner = $('reconnect-banner');
    banner.dataset.state = state;
    show(banner, Boolean(text));
  }

  renderWhoami() {
    const chat = this.chat;
    const box = $('whoami');
    box.dataset.user = chat.user;
    box.dataset.node = chat.client.node || '';
    $('whoami-name').textContent = chat.name || chat.user;
    $('whoami-user').textContent = chat.name !== chat.user ? `@${chat.user}` : '';
    $('whoami-node').textContent = chat.client.node || '–';
    $('whoami-dot').dataset.status = chat.connected ? chat.myStatus : 'offline';
  }

  onStatusChange() {
    const chat = this.chat;
    const status = $('status-select').value;
    if (!['online', 'away', 'busy'].includes(status)) return;
    chat.myStatus = status;
    chat.people.presence.set(chat.user, status);
    chat.client.setStatus(status);            // when offline, the client sends it on reconnect
    this.renderWhoami();
    chat.members.render();
  }

  renderRoomList() {
    const fragment = document.createDocumentFragment();
    for (const room of this.chat.rooms.values()) fragment.append(this.buildRoomItem(room));
    $('rooms').replaceChildren(fragment);
    show($('rooms-empty'), this.chat.rooms.size === 0);
  }

  buildRoomItem(room) {
    const active = room.name === this.chat.activeName;
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

  onRoomListClick(event) {
    const item = event.target.closest('.room-item');
    if (!item) return;
    if (event.target.closest('.room-leave')) this.chat.leaveRoom(item.dataset.room);
    else if (item.dataset.room !== this.chat.activeName) this.chat.switchRoom(item.dataset.room);
  }

  onJoinSubmit(event) {
    event.preventDefault();
    const input = $('room-input');
    const name = input.value.trim().replace(/^#/, '');
    if (!NAME_RE.test(name)) {
      this.showRoomError(name ? 'Room names are 1–64 letters, digits, “_” or “-” (no spaces or dots).' : 'Type a room name.');
      return;
    }
    this.showRoomError(null);
    input.value = '';
    this.chat.joinRoom(name);
  }

  showRoomError(message) {
    const box = $('room-error');
    box.textContent = message || '';
    show(box, Boolean(message));
  }

  updateTitle() {
    let unread = 0;
    for (const room of this.chat.rooms.values()) unread += room.unread;
    document.title = unread > 0 ? `(${unread}) Switchboard` : 'Switchboard';
  }
}
