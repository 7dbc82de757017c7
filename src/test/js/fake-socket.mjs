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
