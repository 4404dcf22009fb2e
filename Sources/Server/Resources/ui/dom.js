// Small DOM helpers: elements are built with text nodes, never from HTML strings, so nothing the
// server returns (node names, errors, payloads) can inject markup.

/** Creates `<tag>` with attributes (`on*` functions become listeners) and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children: strings become text, arrays are flattened, null is skipped. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces every child of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** `2026-11-25T19:04:05.123456+00:00` as a short local time. */
export function shortTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** Shows `message` in the page's polite status region, for screen readers and sighted users. */
export function announce(message) {
  const region = document.getElementById('status-message');
  if (region) region.textContent = message;
}

/**
 * Runs `render`, which replaces elements inside `container`, and gives focus back to the new
 * element matching the one focused before (by `selectorOf(focused)`), so live updates never pull
 * the keyboard's place from under the user.
 */
export function keepingFocus(container, selectorOf, render) {
  const focused = document.activeElement;
  const selector = focused && container.contains(focused) ? selectorOf(focused) : null;
  render();
  if (selector) container.querySelector(selector)?.focus();
}
