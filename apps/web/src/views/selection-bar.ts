import type { AlbumView } from '@gallery/message-schema';
import { h } from '../dom';

/** What to do with the selected images: add them to an album, take them out of this one, delete them. */
export function createSelectionBar({
  onAddToAlbum,
  onRemoveFromAlbum,
  onDelete,
  onClear,
}: {
  onAddToAlbum: (album: string) => void;
  onRemoveFromAlbum: () => void;
  onDelete: () => void;
  onClear: () => void;
}) {
  const count = h('span', { 'data-testid': 'selection-count', role: 'status' });
  const albums = h('select', { id: 'selection-album', 'data-testid': 'selection-album' });
  const add = h('button', { type: 'button', 'data-testid': 'selection-add' }, 'Add to album');
  const remove = h(
    'button',
    { type: 'button', 'data-testid': 'selection-remove' },
    'Remove from this album',
  );
  const del = h(
    'button',
    { type: 'button', class: 'danger', 'data-testid': 'selection-delete' },
    'Delete',
  );
  const clear = h(
    'button',
    { type: 'button', class: 'link', 'data-testid': 'selection-clear' },
    'Clear selection',
  );
  add.addEventListener('click', () => albums.value && onAddToAlbum(albums.value));
  remove.addEventListener('click', onRemoveFromAlbum);
  del.addEventListener('click', onDelete);
  clear.addEventListener('click', onClear);
  const element = h(
    'div',
    {
      class: 'selection-bar',
      'data-testid': 'selection-bar',
      role: 'region',
      'aria-label': 'Selected images',
    },
    count,
    h('label', { for: 'selection-album', class: 'visually-hidden' }, 'Album'),
    albums,
    add,
    remove,
    del,
    clear,
  );

  return {
    element,
    /** `mine`: the albums the user may add to. */
    render(selected: number, mine: readonly AlbumView[], inAlbum: boolean): void {
      element.hidden = selected === 0;
      count.textContent = `${selected} selected`;
      const chosen = albums.value;
      albums.replaceChildren(...mine.map((album) => h('option', { value: album.id }, album.name)));
      if (mine.some((album) => album.id === chosen)) albums.value = chosen;
      albums.hidden = add.hidden = mine.length === 0;
      remove.hidden = !inAlbum;
    },
  };
}
