// A minimal form to try POST /api/orders; status changes arrive as notifications.
import { problemText } from '../client/switchboard.js';
import { $, el, show } from './dom.js';

const MAX_ORDERS_SHOWN = 10;
const RANK = { pending: 0, confirmed: 1, failed: 1 };

export class Orders {
  constructor(chat) {
    this.chat = chat;
    $('order-form').addEventListener('submit', (event) => this.submit(event), { signal: chat.signal });
  }

  clear() {
    $('orders').replaceChildren();
  }

  async submit(event) {
    event.preventDefault();
    const chat = this.chat;
    const error = $('order-error');
    show(error, false);
    const sku = $('order-sku').value.trim();
    const qty = Number($('order-qty').value);
    const price = $('order-price').value.trim();
    // total in cents to keep the browser's floating point out of the server's exact check
    const cents = Math.round(Number(price) * 100) * qty;
    const body = { userId: chat.user, items: [{ sku, qty, price: Number(price) }], total: cents / 100 };
    $('order-button').disabled = true;
    try {
      const response = await fetch('api/orders', {
        method: 'POST',
        headers: { Authorization: `Bearer ${chat.client.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
      });
      if (chat.closed) return;
      if (!response.ok) {
        error.textContent = await problemText(response);
        show(error, true);
        return;
      }
      this.show(await response.json());
    } catch {
      error.textContent = 'The order could not be sent: no connection to the server.';
      show(error, true);
    } finally {
      $('order-button').disabled = false;
    }
  }

  /** Adds or updates an order line; a notification may arrive before the POST's answer. */
  show(order) {
    if (!order || typeof order.orderId !== 'string') return;
    const list = $('orders');
    const item = [...list.children].find((li) => li.dataset.id === order.orderId);
    if (item && (RANK[item.dataset.status] ?? 0) > (RANK[order.status] ?? 0)) return;   // never step back to pending
    const total = typeof order.total === 'number' ? order.total.toFixed(2) : String(order.total);
    const label = `${order.items?.[0]?.sku ?? 'order'} · ${total}`;
    const fresh = el('li', { class: 'order', 'data-id': order.orderId, 'data-status': String(order.status), title: order.orderId },
      el('span', { class: 'order-label' }, label), el('span', { class: 'order-status' }, String(order.status)));
    if (item) item.replaceWith(fresh); else list.prepend(fresh);
    while (list.children.length > MAX_ORDERS_SHOWN) list.lastElementChild.remove();
  }
}
