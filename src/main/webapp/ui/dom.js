// DOM and storage helpers shared by the page's modules.
//
// Security: every user-provided string (names, room names, message text, error text) reaches the
// DOM through textContent / Text nodes (see el()); nothing in the page ever assigns innerHTML.

export const $ = (id) => document.getElementById(id);

/**
 * Creates an element. String children become Text nodes (Node.append never parses HTML), and
 * attributes go through setAttribute, so user data can never turn into markup.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child != null && child !== false) node.append(child);
  }
  return node;
}

export function show(node, visible) { node.hidden = !visible; }

// localStorage throws in some privacy modes; remembering names is a convenience, never a failure.
export function storageGet(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}

export function storageSet(key, value) {
  try {
    if (value == null) localStorage.removeItem(key); else localStorage.setItem(key, value);
  } catch { /* ignore */ }
}
