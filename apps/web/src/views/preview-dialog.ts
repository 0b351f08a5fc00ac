import type { ImagePatch } from '@gallery/api-client';
import type { ImageView } from '@gallery/message-schema';
import { errorMessage, isNotFound } from '../api';
import { h, showMessage } from '../dom';
import { formatBytes } from '../file-name';
import { metadataFacts } from '../metadata-facts';
import { formatTagList, parseTagList } from '../tag-filter';
import { isSafeUrl, originalUrl } from '../thumbnails';
import { renderImageMedia } from './image-media';
import { renderStatusLine } from './status-line';

export interface PreviewDeps {
  updateImage: (id: string, patch: ImagePatch) => Promise<ImageView>;
  deleteImage: (id: string) => Promise<void>;
  /** The image as the store has it now, or null when it is not in the list. */
  findImage: (id: string) => ImageView | null;
  isDeleted: (id: string) => boolean;
  onSaved: (image: ImageView) => void;
  onDeleted: (id: string) => void;
  onUnauthorized: (error: unknown) => boolean;
  /** The image before (-1) or after (1) this one in the list, or null at its end. */
  neighbour: (id: string, step: -1 | 1) => string | null;
  /** Whether the one signed in may rename, retag and delete it (its owner, or an administrator). */
  mayChange: (image: ImageView) => boolean;
  /** Makes it the cover of the album shown, when there is one its owner may change; else null. */
  coverOf: (image: ImageView) => (() => Promise<unknown>) | null;
}

/** Keeps a field in step with the image unless the user has started editing it. */
function syncField(input: HTMLInputElement, value: string): void {
  if (input.value === (input.dataset.synced ?? '')) input.value = value;
  input.dataset.synced = value;
}

/** The preview: the large rendition, a link to the original, rename, edit tags and delete. */
export function createPreviewDialog(deps: PreviewDeps) {
  let current: ImageView | null = null;

  const title = h('h2', { id: 'preview-title', 'data-testid': 'preview-title' });
  const close = h(
    'button',
    { type: 'button', class: 'icon', 'aria-label': 'Close', 'data-testid': 'preview-close' },
    '×',
  );
  const figure = h('div', { class: 'preview-figure' });
  const details = h('div', { class: 'preview-details' });

  const nameInput = h('input', {
    id: 'preview-name',
    name: 'name',
    'data-testid': 'preview-name',
    required: true,
    maxlength: 200,
  });
  const tagsInput = h('input', {
    id: 'preview-tags',
    name: 'tags',
    'data-testid': 'preview-tags',
    'aria-describedby': 'preview-tags-hint',
    autocomplete: 'off',
  });
  const save = h('button', { type: 'submit', 'data-testid': 'preview-save' }, 'Save');
  const feedback = h('p', { class: 'note', 'data-testid': 'preview-saved', 'aria-live': 'polite' });
  const coverButton = h(
    'button',
    { type: 'button', 'data-testid': 'preview-cover' },
    'Use as album cover',
  );
  const coverFeedback = h('p', {
    class: 'note',
    'aria-live': 'polite',
    'data-testid': 'preview-cover-done',
  });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'preview-error' });
  const form = h(
    'form',
    { class: 'stack' },
    h('label', { for: 'preview-name' }, 'Name'),
    nameInput,
    h('label', { for: 'preview-tags' }, 'Tags'),
    tagsInput,
    h('small', { id: 'preview-tags-hint', class: 'hint' }, 'Comma-separated, e.g. cat, garden'),
    h('div', { class: 'actions' }, save, feedback),
  );

  const remove = h(
    'button',
    { type: 'button', class: 'danger', 'data-testid': 'preview-delete' },
    'Delete…',
  );
  const confirmRemove = h(
    'button',
    { type: 'button', class: 'danger', 'data-testid': 'preview-delete-confirm' },
    'Delete',
  );
  const keep = h('button', { type: 'button', 'data-testid': 'preview-delete-cancel' }, 'Keep');
  const confirmRow = h(
    'div',
    { class: 'confirm', role: 'group', 'aria-label': 'Confirm delete' },
    h('span', {}, 'Delete this image for good?'),
    confirmRemove,
    keep,
  );

  const dialog = h(
    'dialog',
    { class: 'preview', 'aria-labelledby': 'preview-title', 'data-testid': 'preview-dialog' },
    h('header', { class: 'dialog-header' }, title, close),
    figure,
    h(
      'div',
      { class: 'preview-side' },
      details,
      form,
      coverFeedback,
      error,
      h('div', { class: 'actions' }, coverButton, remove, confirmRow),
    ),
  );

  function renderImage(image: ImageView): void {
    title.textContent = image.name;
    figure.replaceChildren(renderImageMedia(image, { size: 'preview', lazy: false }));
    const facts = [
      image.width && image.height ? `${image.width} × ${image.height}` : null,
      formatBytes(image.size),
      new Date(image.createdAt).toLocaleString(),
      image.addedBy ? `added by ${image.addedBy.username}` : null,
    ].filter((fact): fact is string => fact !== null);
    const editable = deps.mayChange(image);
    form.hidden = !editable;
    remove.hidden = !editable || !confirmRow.hidden;
    const cover = deps.coverOf(image);
    coverButton.hidden = cover === null;
    coverButton.onclick =
      cover &&
      (() =>
        void cover().then(
          () => showMessage(coverFeedback, 'This is the album’s cover now.'),
          fail,
        ));
    const original = originalUrl(image);
    const metadata = image.metadata ? metadataFacts(image.metadata) : [];
    details.replaceChildren(
      renderStatusLine(image, 'preview-status') ?? '',
      h('p', { class: 'facts' }, facts.join(' · ')),
      metadata.length > 0
        ? h(
            'section',
            {
              class: 'metadata',
              'aria-label': 'Photo metadata',
              'data-testid': 'preview-metadata',
            },
            h(
              'dl',
              {},
              ...metadata.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
            ),
          )
        : '',
      isSafeUrl(original)
        ? h(
            'a',
            {
              href: original,
              target: '_blank',
              rel: 'noopener',
              'data-testid': 'preview-original',
            },
            'Open the original',
          )
        : '',
    );
    syncField(nameInput, image.name);
    syncField(tagsInput, formatTagList(image));
  }

  function setBusy(busy: boolean): void {
    for (const button of [save, remove, confirmRemove]) button.disabled = busy;
  }

  function fail(cause: unknown): void {
    setBusy(false);
    if (!deps.onUnauthorized(cause)) showMessage(error, errorMessage(cause));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!current) return;
    const name = nameInput.value.trim();
    if (name === '') return showMessage(error, 'The name cannot be empty.');
    const tags = parseTagList(tagsInput.value);
    const patch: ImagePatch = {};
    if (name !== current.name) patch.name = name;
    if (tags.join(',') !== current.tags.map((t) => t.name).join(',')) patch.tags = tags;
    showMessage(error, null);
    if (Object.keys(patch).length === 0) return showMessage(feedback, 'Nothing to save.');
    setBusy(true);
    deps.updateImage(current.id, patch).then((image) => {
      setBusy(false);
      // Take the saved values as the new baseline, then show the server's version.
      nameInput.dataset.synced = nameInput.value;
      tagsInput.dataset.synced = tagsInput.value;
      deps.onSaved(image);
      if (current?.id === image.id) update(image);
      showMessage(feedback, 'Saved.');
    }, fail);
  });

  remove.addEventListener('click', () => {
    confirmRow.hidden = false;
    remove.hidden = true;
    keep.focus();
  });
  keep.addEventListener('click', () => {
    confirmRow.hidden = true;
    remove.hidden = false;
    remove.focus();
  });
  confirmRemove.addEventListener('click', () => {
    if (!current) return;
    const { id } = current;
    setBusy(true);
    deps.deleteImage(id).then(
      () => {
        deps.onDeleted(id);
        dialog.close();
      },
      (cause: unknown) => {
        if (!isNotFound(cause)) return fail(cause);
        deps.onDeleted(id);
        dialog.close();
      },
    );
  });
  close.addEventListener('click', () => dialog.close());
  const previous = h(
    'button',
    {
      type: 'button',
      class: 'icon',
      'aria-label': 'Previous image',
      'data-testid': 'preview-previous',
    },
    '‹',
  );
  const next = h(
    'button',
    { type: 'button', class: 'icon', 'aria-label': 'Next image', 'data-testid': 'preview-next' },
    '›',
  );
  const step = (by: -1 | 1) => {
    const id = current && deps.neighbour(current.id, by);
    if (id) open(id);
  };
  previous.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));
  const buttons = h('span', { class: 'dialog-buttons' });
  close.replaceWith(buttons);
  buttons.append(previous, next, close);
  // ← and → move through the list, unless a field is being edited; Esc closes (the dialog's own).
  dialog.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, select') || event.altKey || event.ctrlKey || event.metaKey)
      return;
    if (event.key === 'ArrowLeft') step(-1);
    else if (event.key === 'ArrowRight') step(1);
    else return;
    event.preventDefault();
  });
  // A click on the backdrop lands on the dialog element itself.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    current = null;
  });

  function update(image: ImageView): void {
    current = image;
    renderImage(image);
  }

  function open(id: string): void {
    const image = deps.findImage(id);
    if (!image) return;
    nameInput.value = '';
    tagsInput.value = '';
    delete nameInput.dataset.synced;
    delete tagsInput.dataset.synced;
    showMessage(error, null);
    showMessage(feedback, null);
    showMessage(coverFeedback, null);
    confirmRow.hidden = true;
    remove.hidden = false;
    setBusy(false);
    update(image);
    previous.disabled = deps.neighbour(id, -1) === null;
    next.disabled = deps.neighbour(id, 1) === null;
    if (!dialog.open) dialog.showModal();
  }

  return {
    element: dialog,
    open,
    /** Follows live changes to the open image; closes when it is deleted. */
    refresh(): void {
      if (!current) return;
      if (deps.isDeleted(current.id)) return dialog.close();
      // An image that left a filtered list stays open with what was last known of it.
      const image = deps.findImage(current.id);
      if (image && image !== current) update(image);
    },
  };
}
