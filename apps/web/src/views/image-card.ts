import type { ImageView } from '@gallery/message-schema';
import { h } from '../dom';
import { renderImageMedia } from './image-media';
import { renderStatusLine } from './status-line';

export interface ImageCardDeps {
  onOpen: (id: string) => void;
  onTag: (tag: string) => void;
  /** Picks or unpicks the image; `range`: with shift, from the last one picked. */
  onSelect: (id: string, range: boolean) => void;
}

/** The grid adapts from 2 columns on a phone to ~250 px cells: the browser picks 256 or 1280. */
const GRID_SIZES = '(max-width: 480px) 50vw, 260px';

function tagTitle(tag: ImageView['tags'][number]): string {
  const confidence = tag.confidence === null ? '' : `, ${Math.round(tag.confidence)}%`;
  return `Show images tagged ${tag.name} (${tag.source}${confidence})`;
}

/** One card: picture, name, status and tag chips. A click anywhere but a chip opens the preview. */
export function renderImageCard(image: ImageView, deps: ImageCardDeps): HTMLLIElement {
  const open = h(
    'button',
    { type: 'button', class: 'card-open', 'aria-label': `Open ${image.name}` },
    renderImageMedia(image, { size: 'grid', sizes: GRID_SIZES, lazy: true }),
  );

  const chips = image.tags.map((tag) => {
    const chip = h(
      'button',
      { type: 'button', class: 'chip', 'data-testid': 'image-tag', title: tagTitle(tag) },
      tag.name,
    );
    chip.addEventListener('click', (event) => {
      event.stopPropagation();
      deps.onTag(tag.name);
    });
    return h('li', {}, chip);
  });

  // A real checkbox: Tab reaches it, Space toggles it, screen readers say what it does.
  const select = h('input', {
    type: 'checkbox',
    class: 'card-select',
    'data-testid': 'select-image',
    'aria-label': `Select ${image.name}`,
  });
  select.addEventListener('click', (event) => {
    // Not the card's own click, which opens the preview.
    event.stopPropagation();
    deps.onSelect(image.id, event.shiftKey);
  });

  const card = h(
    'li',
    { class: 'card', 'data-testid': 'image-card', 'data-image-id': image.id },
    select,
    open,
    h(
      'div',
      { class: 'card-body' },
      h('p', { class: 'card-name', 'data-testid': 'image-name', title: image.name }, image.name),
      renderStatusLine(image, 'image-status'),
      chips.length > 0 && h('ul', { class: 'chips', 'aria-label': 'Tags' }, ...chips),
    ),
  );
  card.addEventListener('click', () => deps.onOpen(image.id));
  return card;
}
