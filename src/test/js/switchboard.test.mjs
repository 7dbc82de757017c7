// Unit tests of the JavaScript client (src/main/webapp/client/switchboard.js) against a fake
// socket and a fake clock: node --test src/test/js/ (Node 18 or later, no packages)
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { SwitchboardClient, SwitchboardError, backoffDelay, DEFAULTS, messageFits } from '../../main/webapp/client/switchboard.js';
import { FakeClock, FakeSocket, settle } from './fakes.mjs';

const START = Date.parse('2026-12-01T10:00:00Z');
const clock = new FakeClock(START);
const tick = (ms) => clock.tick(ms);

function client(options = {}) {
  return new SwitchboardClient({
    url: 'http://chat.test/ws', token: 'T1', WebSocket: FakeSocket, random: () => 0.5,
    now: () => clock.now, ...options,
  });
}


/** Records every event of the given types, in order, as [type, detail]. */
function record(c, ...types) {
  const seen = [];
  for (const type of types) c.on(type, (detail) => seen.push([type, detail]));
  return seen;
}

/** Lets time pass on a healthy socket: the server answers every ping. */
async function live(socket, ms) {
  for (let left = ms; left > 0; left -= DEFAULTS.pingEveryMs) {
    tick(Math.min(left, DEFAULTS.pingEveryMs));
    socket.receive({ type: 'pong' });
    await settle();
  }
}

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

beforeEach(() => {
  FakeSocket.reset();
  clock.now = START;
  clock.install();
});
afterEach(() => {
  clock.uninstall();
  mock.restoreAll();
});

describe('connect', () => {
  test('opens the socket with the token and is connected on welcome', () => {
    const c = client();
    const events = record(c, 'state', 'welcome');
    c.connect();
    const socket = FakeSocket.last();
    assert.equal(socket.url.protocol, 'ws:');
    assert.equal(socket.url.pathname, '/ws');
    assert.equal(socket.url.searchParams.get('token'), 'T1');
    assert.equal(c.state, 'connecting');
    assert.equal(c.connected, false);

    socket.welcome('alice', 'node7');
    assert.equal(c.state, 'connected');
    assert.equal(c.connected, true);
    assert.equal(c.user, 'alice');
    assert.equal(c.node, 'node7');
    assert.deepEqual(events.map(([type, d]) => (type === 'state' ? d.state : type)), ['connecting', 'connected', 'welcome']);
  });

  test('asks the token provider first when it has no token', async () => {
    const c = client({ token: undefined, tokenProvider: async () => ({ token: 'P1', expiresAt: 0 }) });
    c.connect();
    await settle();
    assert.equal(FakeSocket.last().url.searchParams.get('token'), 'P1');
  });

  test('pings, and drops a socket that stays silent for two pings', () => {
    const c = client();
    c.connect();
    const socket = FakeSocket.last().welcome();
    tick(DEFAULTS.pingEveryMs);
    assert.equal(socket.sentOf('ping').length, 1);
    tick(DEFAULTS.pingEveryMs);
    tick(DEFAULTS.pingEveryMs);
    assert.equal(socket.closedWith?.code, 4000, 'abandoned');
    assert.equal(c.state, 'reconnecting');
  });

  test('a pong keeps the socket', () => {
    const c = client();
    c.connect();
    const socket = FakeSocket.last().welcome();
    for (let i = 0; i < 5; i++) {
      tick(DEFAULTS.pingEveryMs);
      socket.receive({ type: 'pong' });
    }
    assert.equal(socket.closedWith, null);
    assert.equal(c.state, 'connected');
  });
});

describe('acks as promises', () => {
  function joinedClient() {
    const c = client();
    c.connect();
    const socket = FakeSocket.last().welcome();
    c.join('lobby');
    socket.receive({ type: 'joined', room: 'lobby', members: ['alice'], messages: [], seq: 0 });
    return { c, socket };
  }

  test('send resolves on the ack with id and seq', async () => {
    const { c, socket } = joinedClient();
    const sent = c.send('lobby', 'hello');
    const frame = socket.sentOf('send')[0];
    assert.equal(sent.ref, frame.ref, 'the promise carries its ref');
    assert.equal(frame.room, 'lobby');
    assert.equal(frame.text, 'hello');
    assert.ok(frame.ref.length <= 64);
    socket.receive({ type: 'ack', ref: frame.ref, id: 'm1', seq: 1 });
    assert.deepEqual(await sent, { ref: frame.ref, id: 'm1', seq: 1 });
  });

  test('send rejects on the error with its ref', async () => {
    const { c, socket } = joinedClient();
    const other = c.send('lobby', 'second');
    const sent = c.send('lobby', 'too fast');
    const ref = socket.sentOf('send')[1].ref;
    socket.receive({ type: 'error', code: 'rate_limited', message: 'slow down', ref, retryAfterMs: 3200 });
    const error = await rejection(sent);
    assert.ok(error instanceof SwitchboardError);
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.retryAfterMs, 3200);
    assert.equal(error.ref, ref);
    socket.receive({ type: 'ack', ref: socket.sentOf('send')[0].ref, id: 'm1', seq: 1 });
    assert.equal((await other).id, 'm1', 'the other send is not affected');
  });

  test('send rejects after the ack timeout; a late ack still comes as an event', async () => {
    const { c, socket } = joinedClient();
    const acks = record(c, 'ack');
    const sent = c.send('lobby', 'slow');
    tick(DEFAULTS.ackTimeoutMs);
    const error = await rejection(sent);
    assert.equal(error.code, 'timeout');
    socket.receive({ type: 'ack', ref: error.ref, id: 'm9', seq: 9 });
    assert.equal(acks.length, 1);
    assert.equal(acks[0][1].ref, error.ref);
  });

  test('send rejects when the socket drops before the ack, or when not connected', async () => {
    const { c, socket } = joinedClient();
    const sent = c.send('lobby', 'lost?');
    socket.drop(1006);
    assert.equal((await rejection(sent)).code, 'disconnected');
    assert.equal((await rejection(c.send('lobby', 'offline'))).code, 'disconnected');
  });

  test('a frame too large for the server is refused before it is sent', async () => {
    const { c, socket } = joinedClient();
    const huge = 'x'.repeat(70 * 1024);
    assert.equal(messageFits('lobby', huge), false);
    assert.equal(messageFits('lobby', 'hi'), true);
    assert.equal((await rejection(c.send('lobby', huge))).code, 'too_large');
    assert.equal(socket.sentOf('send').length, 0);
  });

  test('direct resolves on its ack', async () => {
    const { c, socket } = joinedClient();
    const sent = c.direct('bob', 'psst');
    const frame = socket.sentOf('direct')[0];
    assert.equal(frame.to, 'bob');
    socket.receive({ type: 'ack', ref: frame.ref, id: 'd1' });
    assert.deepEqual(await sent, { ref: frame.ref, id: 'd1' });
  });

  test('history resolves with the answer for its room, rejects on its error', async () => {
    const { c, socket } = joinedClient();
    const page = c.history({ room: 'lobby', before: 10, limit: 5 });
    const failed = c.history({ room: 'secret' });
    const [first, second] = socket.sentOf('history');
    assert.equal(first.before, 10);
    socket.receive({ type: 'error', code: 'forbidden', message: 'no', ref: second.ref });
    socket.receive({ type: 'history', room: 'lobby', messages: [{ id: 'a', seq: 4 }], hasMore: true });
    assert.equal((await page).messages[0].id, 'a');
    assert.equal((await rejection(failed)).code, 'forbidden');
  });
});

describe('rooms and dedupe', () => {
  test('join resolves on joined; a message is delivered once per id', async () => {
    const c = client();
    const messages = record(c, 'message');
    c.connect();
    const socket = FakeSocket.last().welcome();
    const joined = c.join('lobby');
    socket.receive({ type: 'joined', room: 'lobby', members: ['alice'], seq: 2,
      messages: [{ id: 'a', room: 'lobby', seq: 1 }, { id: 'b', room: 'lobby', seq: 2 }] });
    assert.equal((await joined).messages.length, 2);
    socket.receive({ type: 'message', id: 'b', room: 'lobby', seq: 2, text: 'dup' });
    socket.receive({ type: 'message', id: 'c', room: 'lobby', seq: 3, text: 'new' });
    socket.receive({ type: 'message', id: 'c', room: 'lobby', seq: 3, text: 'new' });
    assert.deepEqual(messages.map(([, m]) => m.id), ['c']);
  });

  test('a join made while offline goes out on welcome', () => {
    const c = client();
    c.join('lobby').catch(() => {});
    c.connect();
    const socket = FakeSocket.last();
    assert.equal(socket.sent.length, 0);
    socket.welcome();
    assert.deepEqual(socket.sentOf('join').map((f) => [f.room, f.since]), [['lobby', undefined]]);
  });

  test('a join error with its ref rejects the join and drops the room', async () => {
    const c = client();
    const errors = record(c, 'join_error');
    c.connect();
    const socket = FakeSocket.last().welcome();
    const joined = c.join('ops');
    socket.receive({ type: 'error', code: 'forbidden', message: 'not allowed', ref: socket.sentOf('join')[0].ref });
    assert.equal((await rejection(joined)).code, 'forbidden');
    assert.deepEqual(c.rooms, []);
    assert.equal(errors[0][1].room, 'ops');
  });

  test('a ref-less join error goes to the oldest join in flight', async () => {
    const c = client();
    c.connect();
    const socket = FakeSocket.last().welcome();
    const first = c.join('first');
    c.join('second').catch(() => {});
    socket.receive({ type: 'error', code: 'invalid_name', message: 'bad' });
    assert.equal((await rejection(first)).code, 'invalid_name');
    assert.deepEqual(c.rooms, ['second']);
  });

  test('a left from the server drops the room; other errors come as error events', () => {
    const c = client();
    const events = record(c, 'left', 'error');
    c.connect();
    const socket = FakeSocket.last().welcome();
    c.join('ops');
    socket.receive({ type: 'joined', room: 'ops', members: [], messages: [], seq: 0 });
    socket.receive({ type: 'left', room: 'ops', reason: 'forbidden' });
    socket.receive({ type: 'error', code: 'internal', message: 'oops' });
    assert.deepEqual(c.rooms, []);
    assert.deepEqual(events.map(([type]) => type), ['left', 'error']);
  });

  test('direct messages are deduped by id too', () => {
    const c = client();
    const directs = record(c, 'direct');
    c.connect();
    const socket = FakeSocket.last().welcome();
    socket.receive({ type: 'direct', id: 'd1', from: 'bob', to: 'alice', text: 'hi' });
    socket.receive({ type: 'direct', id: 'd1', from: 'bob', to: 'alice', text: 'hi' });
    assert.equal(directs.length, 1);
  });
});

describe('reconnect', () => {
  test('backoff doubles from the start, is jittered ±20 % and bounded', () => {
    const options = { backoffStartMs: 500, backoffMaxMs: 10_000 };
    assert.equal(backoffDelay(0, options, () => 0.5), 500);
    assert.equal(backoffDelay(0, options, () => 0), 400);
    assert.equal(backoffDelay(0, options, () => 0.9999), 600);
    assert.equal(backoffDelay(3, options, () => 0.5), 4000);
    for (const attempt of [5, 10, 50, 2000]) {
      assert.ok(backoffDelay(attempt, options, () => 0.9999) <= 10_000, `attempt ${attempt}`);
      assert.ok(backoffDelay(attempt, options, () => 0) >= 8_000, `attempt ${attempt}`);
    }
  });

  test('reconnects after the backoff, longer after each failure, and starts over after welcome', async () => {
    const c = client({ tokenProvider: async () => ({ token: 'fresh', expiresAt: 0 }) });
    c.connect();
    FakeSocket.last().welcome().drop(1006);
    assert.equal(c.state, 'reconnecting');
    assert.equal(c.reconnectDueAt, START + 500);
    tick(499);
    assert.equal(FakeSocket.all.length, 1);
    tick(1);
    assert.equal(FakeSocket.all.length, 2, 'second socket after 500 ms');
    assert.equal(FakeSocket.last().url.searchParams.get('token'), 'T1', 'a welcomed token is reused');

    FakeSocket.last().drop(1006);                  // died before welcome: may be a refused handshake
    assert.equal(c.reconnectDueAt - clock.now, 1000, 'twice the first backoff');
    tick(999);
    await settle();
    assert.equal(FakeSocket.all.length, 2);
    tick(1);
    await settle();
    assert.equal(FakeSocket.all.length, 3, 'third socket after 1000 more ms');
    assert.equal(FakeSocket.last().url.searchParams.get('token'), 'fresh');

    FakeSocket.last().welcome().drop(1001);
    assert.equal(c.reconnectDueAt - clock.now, 500, 'welcome reset the backoff');
  });

  test('rejoins every room with since = the last seq seen, and delivers only what is new', () => {
    const c = client();
    const messages = record(c, 'message', 'joined');
    c.connect();
    let socket = FakeSocket.last().welcome();
    c.join('lobby');
    socket.receive({ type: 'joined', room: 'lobby', members: [], seq: 4, messages: [{ id: 'm4', room: 'lobby', seq: 4 }] });
    socket.receive({ type: 'message', id: 'm5', room: 'lobby', seq: 5 });
    socket.drop(1006);
    tick(500);
    socket = FakeSocket.last();
    socket.welcome();
    const join = socket.sentOf('join')[0];
    assert.deepEqual([join.room, join.since], ['lobby', 5]);
    socket.receive({ type: 'joined', room: 'lobby', members: [], seq: 7, recovered: true,
      messages: [{ id: 'm5', room: 'lobby', seq: 5 }, { id: 'm6', room: 'lobby', seq: 6 }, { id: 'm7', room: 'lobby', seq: 7 }] });
    socket.receive({ type: 'message', id: 'm7', room: 'lobby', seq: 7 });
    const recovered = messages.filter(([type]) => type === 'joined')[1][1];
    assert.deepEqual(recovered.messages.map((m) => m.id), ['m6', 'm7']);
    assert.deepEqual(messages.filter(([type]) => type === 'message').map(([, m]) => m.id), ['m5']);
  });

  test('when recovery gives up, the whole latest page is handed over', () => {
    const c = client();
    const joined = record(c, 'joined');
    c.connect();
    let socket = FakeSocket.last().welcome();
    c.join('lobby');
    socket.receive({ type: 'joined', room: 'lobby', members: [], seq: 1, messages: [{ id: 'm1', room: 'lobby', seq: 1 }] });
    socket.drop(1006);
    tick(500);
    socket = FakeSocket.last().welcome();
    socket.receive({ type: 'joined', room: 'lobby', members: [], seq: 3000, recovered: false,
      messages: [{ id: 'm1', room: 'lobby', seq: 1 }, { id: 'x', room: 'lobby', seq: 3000 }] });
    assert.deepEqual(joined[1][1].messages.map((m) => m.id), ['m1', 'x']);
  });

  test('the status is sent again on the new socket', () => {
    const c = client();
    c.connect();
    let socket = FakeSocket.last().welcome();
    c.setStatus('busy');
    assert.equal(socket.sentOf('status')[0].status, 'busy');
    socket.drop(1006);
    tick(500);
    socket = FakeSocket.last().welcome();
    assert.deepEqual(socket.sentOf('status').map((f) => f.status), ['busy']);
  });

  test('a status set in another tab is followed, and sent on the next socket', () => {
    const c = client();
    c.connect();
    let socket = FakeSocket.last().welcome('alice');
    socket.receive({ type: 'presence', room: 'lobby', user: 'alice', status: 'away' });
    assert.equal(socket.sentOf('status').length, 0, 'not echoed');
    socket.drop(1006);
    tick(500);
    socket = FakeSocket.last().welcome('alice');
    assert.deepEqual(socket.sentOf('status').map((f) => f.status), ['away']);
  });

  test('gives up after five refusals in a row, with a fresh token for each try; reconnectNow starts over', async () => {
    let tokens = 0;
    const c = client({ tokenProvider: async () => ({ token: `T${++tokens + 1}`, expiresAt: 0 }) });
    const errors = record(c, 'error');
    c.connect();
    for (let i = 0; i < 5; i++) {
      FakeSocket.last().drop(1008, 'token expired');
      tick(DEFAULTS.backoffMaxMs);
      await settle();
    }
    assert.equal(c.state, 'disconnected');
    assert.match(c.reason, /refusing the connection \(close 1008: token expired\)/);
    assert.equal(errors[0][1].code, 'connection_refused');
    assert.equal(FakeSocket.all.length, 5);
    assert.equal(tokens, 4);

    c.reconnectNow();
    await settle();
    assert.equal(FakeSocket.all.length, 6);
    assert.equal(FakeSocket.last().url.searchParams.get('token'), 'T6');
  });

  test('a fatal token error stops reconnecting', async () => {
    const c = client({ tokenProvider: async () => { throw Object.assign(new Error('dev tokens off'), { fatal: true }); } });
    const errors = record(c, 'error');
    c.connect();
    FakeSocket.last().drop(1008);
    tick(500);
    await settle();
    assert.equal(c.state, 'disconnected');
    assert.equal(errors[0][1].code, 'token');
    tick(60_000);
    assert.equal(FakeSocket.all.length, 1);
  });

  test('close stops everything and rejects what waits', async () => {
    const c = client();
    c.connect();
    const socket = FakeSocket.last().welcome();
    const joined = c.join('lobby');
    c.close();
    assert.equal(socket.closedWith.code, 1000);
    assert.equal((await rejection(joined)).code, 'closed');
    assert.equal(c.state, 'disconnected');
    tick(60_000);
    assert.equal(FakeSocket.all.length, 1);
  });
});

describe('token refresh', () => {
  test('sends refresh with a fresh token a minute before expiry', async () => {
    let asked = 0;
    const c = client({
      token: { token: 'T1', expiresAt: START + 10 * 60_000 },
      tokenProvider: async () => ({ token: `R${++asked}`, expiresAt: clock.now + 10 * 60_000 }),
    });
    c.connect();
    const socket = FakeSocket.last().welcome();
    await live(socket, 9 * 60_000 - 1);
    assert.equal(asked, 0);
    await live(socket, 1);
    assert.deepEqual(socket.sentOf('refresh'), [{ type: 'refresh', token: 'R1' }]);
    assert.equal(c.token, 'R1');
    await live(socket, 9 * 60_000);
    assert.equal(c.state, 'connected');
    assert.equal(socket.sentOf('refresh')[1].token, 'R2', 'and again before the new one expires');
  });

  test('a short-lived token is refreshed half way; a failed refresh is retried while it lives', async () => {
    let calls = 0;
    const c = client({
      token: { token: 'T1', expiresAt: START + 60_000 },
      tokenProvider: async () => {
        calls += 1;
        if (calls === 1) throw new Error('unreachable');
        return { token: 'R', expiresAt: clock.now + 60_000 };
      },
    });
    c.connect();
    const socket = FakeSocket.last().welcome();
    socket.receive({ type: 'pong' });
    tick(30_000);
    await settle();
    assert.equal(calls, 1);
    assert.equal(socket.sentOf('refresh').length, 0);
    tick(DEFAULTS.tokenRetryMs);
    await settle();
    assert.equal(calls, 2);
    assert.equal(socket.sentOf('refresh')[0].token, 'R');
  });
});

describe('events', () => {
  test('on returns an off function; a failing listener does not stop the others', () => {
    const c = client();
    const seen = [];
    const errors = mock.method(console, 'error', () => {});
    c.on('presence', () => { throw new Error('boom'); });
    const off = c.on('presence', (frame) => seen.push(frame.status));
    c.connect();
    const socket = FakeSocket.last().welcome();
    socket.receive({ type: 'presence', user: 'bob', status: 'away' });
    off();
    socket.receive({ type: 'presence', user: 'bob', status: 'busy' });
    assert.deepEqual(seen, ['away']);
    assert.equal(errors.mock.callCount(), 2);
  });

  test('frames of every other type come through as events; unknown ones are ignored', () => {
    const c = client();
    const events = record(c, 'member_joined', 'member_left', 'typing', 'notification', 'frame');
    c.connect();
    const socket = FakeSocket.last().welcome();
    for (const type of ['member_joined', 'member_left', 'typing', 'notification', 'from_the_future']) {
      socket.receive({ type, room: 'lobby', user: 'bob' });
    }
    mock.method(console, 'warn', () => {});
    socket.onmessage({ data: 'not json' });
    assert.deepEqual(events.filter(([type]) => type !== 'frame').map(([type]) => type),
      ['member_joined', 'member_left', 'typing', 'notification']);
  });
});
