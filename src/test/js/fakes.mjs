// A WebSocket stand-in for the client's tests: the test plays the server, frame by frame.

export class FakeSocket {
  /** Every socket the client opened, oldest first. */
  static all = [];

  static reset() { FakeSocket.all = []; }

  static last() { return FakeSocket.all[FakeSocket.all.length - 1]; }

  constructor(url) {
    this.url = new URL(url);
    this.readyState = 0;
    this.sent = [];
    this.closedWith = null;
    FakeSocket.all.push(this);
  }

  send(data) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data));
  }

  close(code, reason) {
    this.readyState = 3;
    this.closedWith = { code, reason };
  }

  // ---- the server's side ----

  open() {
    this.readyState = 1;
    this.onopen?.({});
    return this;
  }

  receive(frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
    return this;
  }

  welcome(user = 'alice', node = 'node1') {
    return this.open().receive({ type: 'welcome', user, name: user, node, session: 's1' });
  }

  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** The frames of one type the client sent on this socket. */
  sentOf(type) {
    return this.sent.filter((f) => f.type === type);
  }
}

/** Lets promise callbacks and awaited token providers run (setImmediate is not mocked). */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Timers that run only when the test moves time on. It replaces the global setTimeout family
 * while installed (node:test's mock.timers differs between Node 18 and 20).
 */
export class FakeClock {
  #timers = new Map();      // id -> { due, every, fn, args }
  #nextId = 1;
  #saved = null;

  constructor(now) {
    this.now = now;
  }

  install() {
    this.#saved = {
      setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout,
      setInterval: globalThis.setInterval, clearInterval: globalThis.clearInterval,
    };
    globalThis.setTimeout = (fn, ms = 0, ...args) => this.#add(fn, ms, 0, args);
    globalThis.setInterval = (fn, ms = 0, ...args) => this.#add(fn, ms, Math.max(1, ms), args);
    globalThis.clearTimeout = globalThis.clearInterval = (id) => { this.#timers.delete(id); };
    return this;
  }

  uninstall() {
    if (this.#saved) Object.assign(globalThis, this.#saved);
    this.#saved = null;
    this.#timers.clear();
  }

  /** Moves time on by ms, firing every timer due on the way at its own time, in order. */
  tick(ms) {
    const end = this.now + ms;
    for (;;) {
      let next = null;
      for (const [id, timer] of this.#timers) {
        if (timer.due <= end && (!next || timer.due < next[1].due)) next = [id, timer];
      }
      if (!next) break;
      const [id, timer] = next;
      this.now = timer.due;
      if (timer.every) timer.due += timer.every; else this.#timers.delete(id);
      timer.fn(...timer.args);
    }
    this.now = end;
  }

  #add(fn, ms, every, args) {
    const id = this.#nextId++;
    this.#timers.set(id, { due: this.now + Math.max(0, Number(ms) || 0), every, fn, args });
    return id;
  }
}
