type AttributeValue = string | number | boolean | null | undefined;
type Child = Node | string | null | undefined | false;

/**
 * Builds an element. Attributes go through setAttribute and strings become text nodes, so
 * data from the API (names, tags) is always shown as text, never parsed as markup.
 * `true` sets a boolean attribute; `false`, null and undefined leave it out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, AttributeValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** Shows `message` in `element`, hiding the element while there is nothing to say. */
export function showMessage(element: HTMLElement, message: string | null): void {
  element.textContent = message ?? '';
  element.hidden = !message;
}

/**
 * Follows a link inside the app without reloading the page on a plain click; a click with a
 * modifier or another button (a new tab, a new window) stays the browser's.
 */
export function onPlainClick(anchor: HTMLAnchorElement, follow: () => void): void {
  anchor.addEventListener('click', (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    follow();
  });
}
