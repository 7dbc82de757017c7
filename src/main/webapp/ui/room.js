// What the page holds of one room: confirmed messages in seq order, the own messages not yet
// acknowledged (the outbox), members, who is typing, and view state. No DOM here.

/** A `message` frame (or one inside `joined` / `history`) as the page keeps it; null if malformed. */
export function toMessage(frame) {
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

export class Room {
  constructor(name) {
    this.name = name;
    this.status = 'joining';    // joining | joined
    this.lastSeq = 0;           // highest seq seen (messages or `joined.seq`)
    this.messages = [];         // confirmed messages, sorted by seq
    this.byId = new Map();      // id -> message (dedup: echo of own message, recovery overlap)
    this.outbox = [];           // own messages without `ack`: queued | pending | failed | unconfirmed
    this.members = new Set();
    this.typing = new Map();    // user id -> expiry timer
    this.hasMore = false;
    this.historyLoading = false;
    this.unread = 0;
    this.draft = '';
    this.notice = null;
    this.atBottom = true;
    this.scrollTop = 0;
  }

  /** Adds or updates a message; returns 'added', 'updated' or 'same'. Dedup is by id, order by seq. */
  store(message) {
    const known = this.byId.get(message.id);
    if (known) {
      // The echo of our own message after its ack fills in what the ack lacks (node, server ts).
      const changed = known.synthetic || known.node !== message.node || known.ts !== message.ts ||
        known.name !== message.name;
      if (!message.synthetic) Object.assign(known, message);
      return changed && !message.synthetic ? 'updated' : 'same';
    }
    this.byId.set(message.id, message);
    insertBySeq(this.messages, message);
    this.lastSeq = Math.max(this.lastSeq, message.seq);
    return 'added';
  }

  /**
   * A fresh join, or recovery gave up: the page is "the latest messages", and what we held may
   * have a gap before it. Keep only messages that raced ahead of `joined` (newer than its seq).
   */
  keepOnlyNewerThan(seq) {
    const newer = this.messages.filter((m) => m.seq > seq);
    this.messages = [];
    this.byId = new Map();
    for (const m of newer) this.store(m);
  }

  computeHasMore() {
    // Seqs start at 1 and grow by one, so a page that starts above 1 has older messages before it.
    return this.messages.length > 0 ? this.messages[0].seq > 1 : this.lastSeq > 0;
  }

  clearTyping() {
    for (const timer of this.typing.values()) clearTimeout(timer);
    this.typing.clear();
  }

  clearTimers() {
    this.clearTyping();
    for (const entry of this.outbox) clearTimeout(entry.retryTimer);
  }
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
