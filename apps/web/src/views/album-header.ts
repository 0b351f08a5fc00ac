import type { User } from '@gallery/api-client';
import type { AlbumView } from '@gallery/message-schema';
import { h } from '../dom';

/** The open album's title, description and who made it; rename and delete for whoever may. */
export function createAlbumHeader({
  user,
  onEdit,
  onDelete,
}: {
  user: User;
  onEdit: (album: AlbumView) => void;
  onDelete: (album: AlbumView) => void;
}) {
  const title = h('h2', { 'data-testid': 'album-title' });
  const description = h('p', { class: 'album-description', 'data-testid': 'album-description' });
  const by = h('p', { class: 'hint' });
  const edit = h('button', { type: 'button', 'data-testid': 'album-edit' }, 'Rename or describe');
  const remove = h(
    'button',
    { type: 'button', class: 'danger', 'data-testid': 'album-delete' },
    'Delete album',
  );
  const actions = h('div', { class: 'actions' }, edit, remove);
  const element = h(
    'section',
    { class: 'album-header', 'aria-labelledby': 'album-title' },
    title,
    description,
    by,
    actions,
  );
  title.id = 'album-title';
  let shown: AlbumView | null = null;
  edit.addEventListener('click', () => shown && onEdit(shown));
  remove.addEventListener('click', () => shown && onDelete(shown));

  return {
    element,
    /** `album`: the open one, or null (the whole gallery, or an album not loaded yet). */
    render(album: AlbumView | null): void {
      shown = album;
      element.hidden = album === null;
      if (!album) return;
      title.textContent = album.name;
      description.textContent = album.description;
      description.hidden = album.description === '';
      by.textContent = `${album.imageCount} ${album.imageCount === 1 ? 'image' : 'images'}, made by ${album.addedBy.username}`;
      actions.hidden = !(user.role === 'admin' || user.id === album.addedBy.id);
    },
  };
}
