/*
 * Switchboard chat page: the entry module. Plain ES modules, no build step, no dependencies.
 * The protocol lives in client/switchboard.js (the JavaScript client library, no DOM; see
 * docs/CLIENT.md); ui/*.js are the page's views on top of it. Wire contract: docs/PROTOCOL.md.
 *
 *   ui/login.js     sign-in form, dev token        ui/chat.js      one signed-in session, wiring
 *   ui/sidebar.js   whoami, connection, rooms      ui/timeline.js  room header, messages, history
 *   ui/composer.js  composer, outbox, typing out   ui/typing.js    who is typing
 *   ui/members.js   member list, presence          ui/orders.js    order form and list
 *   ui/room.js      a room's messages (model)      ui/people.js    names and presence (model)
 *   ui/notices.js   error bar, toasts              ui/dom.js       el(), $(), storage
 *
 * Stable hooks for browser tests (Selenium):
 *   Sign-in        #login-form, #login-user, #login-name, #login-button, #login-error
 *   Who am I       #whoami (data-user, data-node), #whoami-name, #whoami-user, #whoami-node
 *   Connection     #connection-state (data-state: connecting|connected|reconnecting|disconnected),
 *                  #reconnect-banner, #reconnect-now
 *   Errors         #error-bar, #error-text, #error-dismiss
 *   Status         #status-select (online|away|busy), #logout-button
 *   Rooms          #room-input, #join-button, #room-error,
 *                  #rooms > .room-item[data-room="x"] (.active when selected, .joining until `joined`),
 *                  .room-item .room-leave, .room-item .room-unread, #leave-button (active room)
 *   Room header    #room-title, #room-meta, #room-notice (shown when recovery skipped messages)
 *   Messages       #messages > .message[data-id][data-seq]
 *                    children .message-from, .message-text, .message-node, .message-time
 *                    pending/failed own messages: .message.pending / .message.failed [data-ref],
 *                    .message-error, button[data-action="retry"|"discard"]
 *                  #history-status (loading / beginning of room), #jump-latest
 *   Composer       #composer (textarea), #send-button, #composer-hint
 *   Typing         #typing
 *   Members        #members > .member[data-user] > .presence-dot[data-status], #member-count
 *   Notifications  #toasts > .toast (.notification for server-pushed events)
 *   Orders         #order-form, #order-sku, #order-qty, #order-price, #order-button, #order-error,
 *                  #orders > .order[data-id][data-status] > .order-status
 */
import { $ } from './ui/dom.js';
import { hideError } from './ui/notices.js';
import { Login } from './ui/login.js';
import { Chat } from './ui/chat.js';

const login = new Login((user, requestedName, token) => {
  login.hide();
  new Chat({ user, requestedName, token, onSignOut: () => login.show() }).start();
});
$('error-dismiss').addEventListener('click', hideError);
login.focus();
