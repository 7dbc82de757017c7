// The composer and the outbox: own messages go out through the client's send(), wait for their
// ack, queue while the room is not joined, retry by themselves when the server says when, and
// are matched against recovered messages after a reconnect. Also sends the typing indicator.
import { messageFits } from '../client/switchboard.js';
import { $ } from './dom.js';
import { errorText, showError } from './notices.js';

const TYPING_THROTTLE_MS = 2_000;
const TYPING_IDLE_MS = 3_000;
const AUTO_RETRIES = 3;                          // for rate_limited / unavailable, which say when

export class Composer {
  constructor(chat) {
    this.chat = chat;
    this.localCounter = 0;
    // Sends whose ack timed out, by ref: a late ack still confirms them (until the socket drops).
    this.lateAcks = new Map();
    this.typingOut = { room: null, active: false, sentAt: 0, idleTimer: null };
    const options = { signal: chat.signal };
    $('composer-form').addEventListener('submit', (event) => { event.preventDefault(); this.send(); }, options);
    $('composer').addEventListener('keydown', (event) => this.onKeydown(event), options);
    $('composer').addEventListener('input', () => this.onInput(), options);
  }

  render() {
    const chat = this.chat;
    const room = chat.activeRoom();
    const composer = $('composer');
    composer.disabled = !room;
    composer.placeholder = room ? `Message #${room.name}` : 'Join a room to chat';
    $('send-button').disabled = !room;          // offline sends are queued, see transmit()
    let hint = 'Enter to send · Shift+Enter for a new line';
    if (room && !chat.connected) hint = 'Offline — messages you send now go out when the connection is back.';
    else if (room && room.status !== 'joined') hint = `Joining #${room.name}… messages you send now go out once joined.`;
    $('composer-hint').textContent = hint;
    $('composer-hint').dataset.state = chat.canSendTo(room) || !room ? 'ok' : 'blocked';
  }

  loadDraft(room) {
    $('composer').value = room ? room.draft : '';
    this.autoGrow();
  }

  autoGrow() {
    const composer = $('composer');
    composer.style.height = 'auto';
    // box-sizing is border-box: the height must include the borders, which scrollHeight leaves out
    const borders = composer.offsetHeight - composer.clientHeight;
    composer.style.height = `${Math.min(composer.scrollHeight + borders, 200)}px`;
  }

  onKeydown(event) {
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      this.send();
    }
  }

  send() {
    const room = this.chat.activeRoom();
    const composer = $('composer');
    const text = composer.value;
    if (!room || text.trim() === '') return;   // the server would answer empty_message
    if (!messageFits(room.name, text)) {
      showError('too_large', 'This message is too long to send. Split it into smaller parts.');
      return;
    }
    this.stopTyping();
    composer.value = '';
    room.draft = '';
    this.autoGrow();
    const entry = {
      key: `local-${++this.localCounter}`, ref: null, room: room.name, text, status: 'queued',
      error: null, sentAt: null, seqAtSend: 0, retries: 0, retryTimer: null,
    };
    room.outbox.push(entry);
    this.transmit(entry);                      // or stays queued until the room is joined again
    this.chat.timeline.scrollToBottom();
  }

  /** Sends (or re-sends) an outbox entry under a fresh ref; queues it while the room is not joined. */
  transmit(entry) {
    const chat = this.chat;
    const room = chat.rooms.get(entry.room);
    if (!room) return;
    clearTimeout(entry.retryTimer);
    // A late ack for the previous ref must not confirm this new attempt.
    if (entry.ref) this.lateAcks.delete(entry.ref);
    if (!chat.canSendTo(room)) {
      entry.status = 'queued';
      entry.error = null;
      chat.timeline.renderOutboxEntry(entry);
      return;
    }
    entry.status = 'pending';
    entry.error = null;
    entry.sentAt = new Date().toISOString();
    entry.seqAtSend = room.lastSeq;
    const sent = chat.client.send(entry.room, entry.text);
    entry.ref = sent.ref;
    sent.then((ack) => this.onAcked(entry, ack), (error) => this.onSendFailed(entry, error));
    chat.timeline.renderOutboxEntry(entry);
  }

  onAcked(entry, ack) {
    if (this.chat.closed || entry.ref !== ack.ref || entry.status !== 'pending') return;
    this.confirm(entry, ack);
  }

  /** An `ack` event: confirms a send whose promise already gave up waiting. */
  onLateAck(frame) {
    const ref = frame.ref != null ? String(frame.ref) : null;
    const entry = ref && this.lateAcks.get(ref);
    if (entry && entry.ref === ref) this.confirm(entry, frame);
  }

  confirm(entry, ack) {
    const chat = this.chat;
    this.lateAcks.delete(entry.ref);
    const room = chat.rooms.get(entry.room);
    if (!room) return;
    this.removeOutboxEntry(room, entry);
    if (ack.id == null || ack.seq == null) return;    // not a room message

    // The echo may already be here (then it is shown once, by id); if not, show the message now
    // from what we sent, and let the echo fill in node and server time when it comes.
    const message = {
      id: String(ack.id), room: room.name, seq: Number(ack.seq), from: chat.user, name: chat.name,
      text: entry.text, ts: entry.sentAt, node: null, synthetic: true,
    };
    const result = chat.store(room, message);
    room.byId.get(message.id).acked = true;   // this one can no longer stand in for an unconfirmed send
    if (result === 'added' && room === chat.activeRoom()) {
      const stick = chat.timeline.isNearBottom();
      chat.timeline.upsertMessageElement(message);
      if (stick) chat.timeline.scrollToBottom();
    }
  }

  onSendFailed(entry, error) {
    if (this.chat.closed || entry.ref !== error.ref || entry.status !== 'pending') return;
    if (error.code === 'closed') return;
    if (error.code === 'disconnected') {
      // It may have landed anyway: decided when the room is joined again (reconcile).
      this.markFailed(entry, 'unconfirmed', 'Connection lost before the server confirmed this message.');
      return;
    }
    if (error.code === 'timeout') {
      this.lateAcks.set(entry.ref, entry);
      this.markFailed(entry, 'failed', 'No confirmation from the server yet. It may still arrive; retry to send again.');
      return;
    }
    entry.status = 'failed';
    entry.error = errorText(error);
    // rate_limited and unavailable say when to come back, and nothing was accepted: try again then.
    const retryable = (error.code === 'rate_limited' || error.code === 'unavailable') && Number(error.retryAfterMs) > 0;
    if (retryable && entry.retries < AUTO_RETRIES) {
      entry.retries += 1;
      entry.error += ' Retrying automatically…';
      entry.retryTimer = setTimeout(() => this.transmit(entry), Number(error.retryAfterMs) + 100);
    }
    this.chat.timeline.renderOutboxEntry(entry);
    showError(error.code, errorText(error));
  }

  markFailed(entry, status, error) {
    entry.status = status;
    entry.error = error;
    this.chat.timeline.renderOutboxEntry(entry);
  }

  /** Retry or discard, from the buttons on a failed or queued message. */
  act(room, entry, action) {
    if (action === 'retry') {
      entry.retries = 0;
      this.transmit(entry);
    } else if (action === 'discard') {
      this.lateAcks.delete(entry.ref);
      entry.status = 'discarded';              // an ack still on its way no longer shows it
      this.removeOutboxEntry(room, entry);
    }
  }

  removeOutboxEntry(room, entry) {
    clearTimeout(entry.retryTimer);
    const index = room.outbox.indexOf(entry);
    if (index >= 0) room.outbox.splice(index, 1);
    if (room === this.chat.activeRoom()) this.chat.timeline.outboxElement(entry)?.remove();
  }

  /** A new socket gets no ack for what the old one sent. */
  forgetRefs() {
    this.lateAcks.clear();
  }

  forgetRoom(room) {
    for (const entry of room.outbox) this.lateAcks.delete(entry.ref);
  }

  /**
   * After a reconnect, own messages that lost their ack may have been accepted anyway: their echo
   * came before the drop, or they are among the recovered messages. A message of ours with the same
   * text, newer than the room was when we sent, and not claimed by an ack, is taken as that message
   * (and the local copy dropped); the rest are marked failed so the user can retry.
   */
  reconcile(room, complete) {
    const unconfirmed = room.outbox.filter((e) => e.status === 'unconfirmed');
    if (unconfirmed.length === 0) return;
    const claimed = new Set();
    for (const entry of unconfirmed) {
      const match = room.messages.find((m) => m.from === this.chat.user && !m.acked && !claimed.has(m.id) &&
        m.seq > entry.seqAtSend && m.text === entry.text);
      if (match) {
        claimed.add(match.id);
        this.removeOutboxEntry(room, entry);
      } else {
        this.markFailed(entry, 'failed', complete
          ? 'Not delivered: the connection dropped before the server accepted it.'
          : 'May not have been delivered: the connection dropped and some messages were skipped.');
      }
    }
  }

  // ---- typing indicator, outgoing ----

  typingRoom() {
    return this.typingOut.room;
  }

  onInput() {
    const chat = this.chat;
    const room = chat.activeRoom();
    if (room) room.draft = $('composer').value;
    this.autoGrow();
    if (!chat.canSendTo(room)) return;
    if ($('composer').value.trim() === '') { this.stopTyping(); return; }

    const out = this.typingOut;
    if (out.room && out.room !== room.name) this.stopTyping();
    const now = Date.now();
    if (!out.active || now - out.sentAt >= TYPING_THROTTLE_MS) {
      chat.client.typing(room.name, true);
      out.room = room.name;
      out.active = true;
      out.sentAt = now;
    }
    clearTimeout(out.idleTimer);
    out.idleTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  stopTyping() {
    const out = this.typingOut;
    const room = out.room && this.chat.rooms.get(out.room);
    if (out.active && room && room.status === 'joined') this.chat.client.typing(out.room, false);
    this.resetTypingOut();
  }

  resetTypingOut() {
    const out = this.typingOut;
    clearTimeout(out.idleTimer);
    Object.assign(out, { room: null, active: false, sentAt: 0, idleTimer: null });
  }
}
