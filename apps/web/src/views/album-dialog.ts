import type { AlbumView } from '@gallery/message-schema';
import { errorMessage } from '../api';
import { h, showMessage } from '../dom';

/** A name and a description: for a new album, or to rename and describe one. */
export function createAlbumDialog({
  save,
  onSaved,
  onUnauthorized,
}: {
  /** `album`: the one being edited, or null for a new one. */
  save: (album: AlbumView | null, name: string, description: string) => Promise<AlbumView>;
  onSaved: (album: AlbumView, created: boolean) => void;
  onUnauthorized: (error: unknown) => boolean;
}) {
  let editing: AlbumView | null = null;
  const title = h('h2', { id: 'album-dialog-title' });
  const name = h('input', {
    id: 'album-name',
    name: 'name',
    required: true,
    maxlength: 200,
    'data-testid': 'album-name',
    autocomplete: 'off',
  });
  const description = h('textarea', {
    id: 'album-description',
    name: 'description',
    maxlength: 2000,
    rows: 3,
    'data-testid': 'album-description-input',
  });
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h(
    'button',
    { type: 'submit', class: 'primary', 'data-testid': 'album-save' },
    'Save',
  );
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = h(
    'form',
    { class: 'stack' },
    h('label', { for: 'album-name' }, 'Name'),
    name,
    h('label', { for: 'album-description' }, 'Description'),
    description,
    error,
    h('div', { class: 'actions' }, cancel, submit),
  );
  const dialog = h(
    'dialog',
    { 'aria-labelledby': 'album-dialog-title', 'data-testid': 'album-dialog' },
    h('header', { class: 'dialog-header' }, title),
    form,
  );
  cancel.addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (name.value.trim() === '') return showMessage(error, 'Give the album a name.');
    submit.disabled = true;
    save(editing, name.value.trim(), description.value.trim()).then(
      (album) => {
        submit.disabled = false;
        onSaved(album, editing === null);
        dialog.close();
      },
      (cause: unknown) => {
        submit.disabled = false;
        if (!onUnauthorized(cause)) showMessage(error, errorMessage(cause));
      },
    );
  });

  return {
    element: dialog,
    open(album: AlbumView | null = null): void {
      editing = album;
      title.textContent = album ? 'Rename or describe the album' : 'New album';
      name.value = album?.name ?? '';
      description.value = album?.description ?? '';
      showMessage(error, null);
      dialog.showModal();
    },
  };
}
