/** The one DOM helper the view's parts share. */

/** A new `tag` element with `className` (none when empty), appended to `parent`. */
export function el(tag: string, className: string, parent: HTMLElement): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  parent.appendChild(e);
  return e;
}
