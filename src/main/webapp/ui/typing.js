// Who else is typing in the active room (the line under the messages).
import { $ } from './dom.js';

// The sender refreshes every 2 s while typing; 5 s of silence means it stopped or vanished.
const TYPING_EXPIRE_MS = 5_000;

export class Typing {
  constructor(chat) {
    this.chat = chat;
  }

  onTyping(frame) {
    const room = this.chat.rooms.get(frame.room);
    if (!room || frame.user == null) return;
    const user = String(frame.user);
    if (user === this.chat.user) return;      // our other tabs: not worth telling ourselves
    clearTimeout(room.typing.get(user));
    if (frame.active) {
      room.typing.set(user, setTimeout(() => this.expire(room, user), TYPING_EXPIRE_MS));
    } else {
      room.typing.delete(user);
    }
    if (room === this.chat.activeRoom()) this.render();
  }

  /** The user stopped typing: sent a message, left, or went quiet. */
  expire(room, user) {
    if (!room.typing.has(user)) return;
    clearTimeout(room.typing.get(user));
    room.typing.delete(user);
    if (room === this.chat.activeRoom()) this.render();
  }

  render() {
    const room = this.chat.activeRoom();
    const names = room ? [...room.typing.keys()].map((user) => this.chat.displayName(user)) : [];
    let text = '';
    if (names.length === 1) text = `${names[0]} is typing…`;
    else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
    else if (names.length > 2) text = `${names.length} people are typing…`;
    $('typing').textContent = text;
  }
}
