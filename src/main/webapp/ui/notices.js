// The error bar and the toasts: how the page tells the user what went wrong or what happened.
import { $, el, show } from './dom.js';

const TOAST_MS = 5_000;
const MAX_TOASTS = 5;

/** Text for an `error` frame or a SwitchboardError: code, message, and when to retry. */
export function errorText(error) {
  let text = `${error.code || 'error'}: ${error.message || 'unknown error'}`;
  const retry = Number(error.retryAfterMs);
  if (retry > 0) text += ` — retry in ${(retry / 1000).toFixed(1)} s`;
  return text;
}

export function showError(code, text) {
  $('error-text').textContent = text;
  $('error-bar').dataset.code = code || '';
  show($('error-bar'), true);
}

export function hideError() {
  show($('error-bar'), false);
  $('error-text').textContent = '';
}

export function toast(text, kind) {
  const container = $('toasts');
  const item = el('div', { class: `toast ${kind}`, role: 'status', title: 'Click to dismiss' }, text);
  item.addEventListener('click', () => item.remove());
  container.append(item);
  while (container.children.length > MAX_TOASTS) container.firstElementChild.remove();
  setTimeout(() => item.remove(), TOAST_MS);
}

/** One line for a notification's data: "order 42 confirmed", or its JSON cut short. */
export function summarize(event, data) {
  if (data == null || typeof data !== 'object') return String(data ?? '');
  const subject = event.split('.')[0];
  const id = data.orderId ?? data.id;
  if (id != null && data.status != null) return `${subject} ${id} ${data.status}`;
  const json = JSON.stringify(data);
  return json.length > 140 ? `${json.slice(0, 139)}…` : json;
}
