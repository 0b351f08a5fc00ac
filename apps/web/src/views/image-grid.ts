import type { ImageView } from '@gallery/message-schema';
import { h } from '../dom';
import { renderImageCard, type ImageCardDeps } from './image-card';

/**
 * The grid of cards, keyed by image id: a card is rebuilt only when its image changed, and
 * moved rather than rebuilt when the order changes, so loaded pictures stay put.
 */
export function createImageGrid(deps: ImageCardDeps) {
  const element = h('ul', { class: 'grid', 'data-testid': 'gallery-grid', 'aria-label': 'Images' });
  let cards = new Map<string, { image: ImageView; node: HTMLLIElement }>();

  function render(items: readonly ImageView[]): void {
    const next = new Map<string, { image: ImageView; node: HTMLLIElement }>();
    let refocus: HTMLElement | null = null;
    for (const image of items) {
      const known = cards.get(image.id);
      if (known && known.image === image) {
        next.set(image.id, known);
        continue;
      }
      const node = renderImageCard(image, deps);
      // Keyboard users keep their place when a card they are on is updated live.
      if (known?.node.contains(document.activeElement)) refocus = node.querySelector('.card-open');
      next.set(image.id, { image, node });
    }
    for (const [id, card] of cards) {
      if (next.get(id)?.node !== card.node) card.node.remove();
    }
    let position: ChildNode | null = element.firstChild;
    for (const { node } of next.values()) {
      if (node === position) position = node.nextSibling;
      else element.insertBefore(node, position);
    }
    cards = next;
    refocus?.focus();
  }

  /** Checks the boxes of the selected images, and marks their cards. */
  function renderSelection(isSelected: (id: string) => boolean): void {
    for (const [id, { node }] of cards) {
      const selected = isSelected(id);
      node.classList.toggle('selected', selected);
      const box = node.querySelector<HTMLInputElement>('.card-select');
      if (box) box.checked = selected;
    }
  }

  return { element, render, renderSelection };
}
