// The right column's member list: who is in the active room, with a presence dot each.
// Presence starts from GET /api/presence and follows `presence` frames from then on.
import { $, el } from './dom.js';
import { STATUSES } from './people.js';

const PRESENCE_BATCH = 200;                      // server limit per GET /api/presence
const STATUS_ORDER = { online: 0, busy: 1, away: 2, unknown: 3, offline: 4 };

export class Members {
  constructor(chat) {
    this.chat = chat;
  }

  render() {
    const chat = this.chat;
    const room = chat.activeRoom();
    const list = $('members');
    if (!room) {
      list.replaceChildren();
      $('member-count').textContent = '';
      return;
    }
    const statusOf = (user) => chat.people.statusOf(user);
    const users = [...room.members].sort((a, b) =>
      (STATUS_ORDER[statusOf(a)] - STATUS_ORDER[statusOf(b)]) ||
      chat.displayName(a).localeCompare(chat.displayName(b), undefined, { sensitivity: 'base' }));
    const fragment = document.createDocumentFragment();
    for (const user of users) {
      const status = statusOf(user);
      const name = chat.displayName(user);
      const item = el('li', { class: `member${user === chat.user ? ' me' : ''}`, 'data-user': user },
        el('span', { class: 'presence-dot', 'data-status': status, title: status, 'aria-label': status }),
        el('span', { class: 'member-name' }, name),
        user === chat.user ? el('span', { class: 'member-you' }, '(you)') : null,
        name !== user ? el('span', { class: 'member-user' }, `@${user}`) : null);
      fragment.append(item);
    }
    list.replaceChildren(fragment);
    $('member-count').textContent = String(users.length);
  }

  onMemberJoined(frame) {
    const chat = this.chat;
    const room = chat.rooms.get(frame.room);
    if (!room || frame.user == null) return;
    const user = String(frame.user);
    chat.people.learnName(user, frame.name);
    room.members.add(user);
    // Someone who just joined has a socket, so is at least online (a presence frame may refine it).
    const presence = chat.people.presence;
    if (!presence.has(user) || presence.get(user) === 'offline') presence.set(user, 'online');
    if (room === chat.activeRoom()) { this.render(); chat.timeline.renderRoomHeader(); }
  }

  onMemberLeft(frame) {
    const chat = this.chat;
    const room = chat.rooms.get(frame.room);
    if (!room || frame.user == null) return;
    const user = String(frame.user);
    chat.people.learnName(user, frame.name);
    room.members.delete(user);
    chat.typing.expire(room, user);
    if (room === chat.activeRoom()) { this.render(); chat.timeline.renderRoomHeader(); }
  }

  onPresence(frame) {
    const chat = this.chat;
    if (frame.user == null || !STATUSES.includes(frame.status)) return;
    const user = String(frame.user);
    chat.people.presence.set(user, frame.status);
    chat.people.presenceFrameAt.set(user, Date.now());
    if (user === chat.user && frame.status !== 'offline') {
      // Another tab of ours changed the status: follow it (the client re-sends it on reconnect).
      chat.myStatus = frame.status;
      $('status-select').value = frame.status;
    }
    if (user === chat.user) chat.sidebar.renderWhoami();
    if (chat.activeRoom()?.members.has(user)) this.render();
  }

  /** Initial statuses for a room's members; `presence` frames that arrive meanwhile win. */
  async fetchPresence(users) {
    const chat = this.chat;
    const startedAt = Date.now();
    const wanted = [...new Set(users)].filter((u) => u !== chat.user);
    for (let i = 0; i < wanted.length; i += PRESENCE_BATCH) {
      const query = wanted.slice(i, i + PRESENCE_BATCH).map((u) => `user=${encodeURIComponent(u)}`).join('&');
      let body;
      try {
        const response = await fetch(`api/presence?${query}`, {
          headers: { Authorization: `Bearer ${chat.client.token}`, Accept: 'application/json' },
          cache: 'no-store',
        });
        if (!response.ok) continue;            // dots stay "unknown" until a presence frame comes
        body = await response.json();
      } catch {
        continue;
      }
      if (chat.closed || !body || typeof body !== 'object') return;
      for (const [user, status] of Object.entries(body)) {
        if (!STATUSES.includes(status)) continue;
        if ((chat.people.presenceFrameAt.get(user) || 0) >= startedAt) continue;
        chat.people.presence.set(user, status);
      }
      this.render();
    }
  }
}
