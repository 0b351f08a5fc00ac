import type { ImageView } from '@gallery/message-schema';
import type { Upload } from '../upload';
import { errorMessage } from '../api';
import { h, showMessage } from '../dom';
import { nameFromFileName } from '../file-name';

export interface UploadDialogDeps {
  uploadImage: (
    name: string,
    file: File,
    onProgress: (loaded: number, total: number) => void,
  ) => Upload;
  onUploaded: (image: ImageView) => void;
  onUnauthorized: (error: unknown) => boolean;
}

/**
 * The upload dialog: one or more files, chosen here or dropped anywhere on the page, a name
 * (editable for a single file; each file keeps its own otherwise), each file's progress and
 * the total over all bytes, the API's message on a failure.
 */
export function createUploadDialog(deps: UploadDialogDeps) {
  let running: Upload | null = null;

  const fileInput = h('input', {
    id: 'upload-file',
    type: 'file',
    name: 'file',
    accept: 'image/*',
    multiple: true,
    'data-testid': 'upload-file',
  });
  const nameInput = h('input', {
    id: 'upload-name',
    name: 'name',
    'data-testid': 'upload-name',
    maxlength: 200,
    autocomplete: 'off',
  });
  const nameHint = h('small', { id: 'upload-name-hint', class: 'hint' });
  nameInput.setAttribute('aria-describedby', nameHint.id);
  const progress = h('progress', {
    'data-testid': 'upload-progress',
    max: 1,
    value: 0,
    'aria-label': 'Upload progress, all files',
  });
  const fileRows = h('ul', { class: 'upload-files', 'data-testid': 'upload-files' });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'upload-error' });
  const submit = h('button', { type: 'submit', 'data-testid': 'upload-submit' }, 'Upload');
  const cancel = h('button', { type: 'button', 'data-testid': 'upload-cancel' }, 'Cancel');

  const form = h(
    'form',
    { class: 'stack' },
    h('label', { for: 'upload-file' }, 'Image file'),
    fileInput,
    h('label', { for: 'upload-name' }, 'Name'),
    nameInput,
    nameHint,
    fileRows,
    progress,
    error,
    h('div', { class: 'actions' }, cancel, submit),
  );
  const dialog = h(
    'dialog',
    { class: 'upload', 'aria-labelledby': 'upload-title', 'data-testid': 'upload-dialog' },
    h('header', { class: 'dialog-header' }, h('h2', { id: 'upload-title' }, 'Upload images')),
    form,
  );

  /** Files dropped on the page; otherwise the field's. */
  let dropped: File[] | null = null;
  const files = (): File[] => dropped ?? Array.from(fileInput.files ?? []);

  /** One row per file: its name, its own progress and how it ended. */
  function showFileRows(chosen: File[]) {
    const rows = chosen.map((file) => {
      const bar = h('progress', { max: 1, value: 0, 'aria-label': `${file.name} progress` });
      const state = h('span', { class: 'upload-state' }, 'Waiting');
      const row = h(
        'li',
        { 'data-testid': 'upload-file-row' },
        h('span', { class: 'upload-file-name' }, file.name),
        bar,
        state,
      );
      return { row, bar, state };
    });
    fileRows.replaceChildren(...rows.map(({ row }) => row));
    fileRows.hidden = chosen.length < 2;
    return rows;
  }

  /** Fits the name field to the files chosen: one name for one file, each its own for several. */
  function showChosen(): void {
    const chosen = files();
    const several = chosen.length > 1;
    nameInput.disabled = several;
    nameHint.textContent = several ? `Each of the ${chosen.length} files keeps its own name.` : '';
    // Prefill only what the user has not typed: a name they chose survives a new file.
    if (chosen.length === 1 && nameInput.value === (nameInput.dataset.prefilled ?? '')) {
      nameInput.value = nameFromFileName(chosen[0].name);
      nameInput.dataset.prefilled = nameInput.value;
    }
    showMessage(error, null);
  }
  fileInput.addEventListener('change', () => {
    dropped = null;
    showChosen();
  });

  function setBusy(busy: boolean): void {
    submit.disabled = busy;
    fileInput.disabled = busy;
    nameInput.disabled = busy || files().length > 1;
    form.setAttribute('aria-busy', String(busy));
  }

  async function uploadAll(chosen: File[]): Promise<string[]> {
    const total = chosen.reduce((sum, file) => sum + file.size, 0) || 1;
    const rows = showFileRows(chosen);
    let sent = 0;
    const failures: string[] = [];
    for (const [index, file] of chosen.entries()) {
      const { bar, state } = rows[index];
      const name = chosen.length === 1 ? nameInput.value.trim() : nameFromFileName(file.name);
      state.textContent = 'Uploading';
      running = deps.uploadImage(name, file, (loaded, size) => {
        bar.value = size > 0 ? Math.min(1, loaded / size) : 0;
        progress.value = Math.min(1, (sent + loaded) / total);
      });
      try {
        deps.onUploaded(await running.done);
        bar.value = 1;
        state.textContent = 'Done';
      } catch (cause) {
        if (deps.onUnauthorized(cause)) return [];
        const message = errorMessage(cause);
        state.textContent = message;
        failures.push(chosen.length === 1 ? message : `${file.name}: ${message}`);
        if (!dialog.open) break;
      }
      sent += file.size;
      progress.value = Math.min(1, sent / total);
    }
    running = null;
    return failures;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    start();
  });

  function start(): void {
    const chosen = files();
    if (chosen.length === 0) return showMessage(error, 'Choose an image file.');
    if (chosen.length === 1 && nameInput.value.trim() === '') {
      return showMessage(error, 'Give the image a name.');
    }
    showMessage(error, null);
    progress.hidden = false;
    progress.value = 0;
    setBusy(true);
    void uploadAll(chosen).then((failures) => {
      setBusy(false);
      if (failures.length === 0) dialog.close();
      else showMessage(error, failures.join('\n'));
    });
  }

  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => running?.abort());

  function open(): void {
    dropped = null;
    form.reset();
    delete nameInput.dataset.prefilled;
    nameHint.textContent = '';
    progress.hidden = true;
    progress.value = 0;
    showMessage(error, null);
    setBusy(false);
    fileRows.replaceChildren();
    fileRows.hidden = true;
    dialog.showModal();
  }

  return {
    element: dialog,
    open,
    /** Files dropped on the page: the dialog opens and uploads them at once, each under its own name. */
    uploadFiles(chosen: File[]): void {
      if (running) return;
      open();
      dropped = chosen;
      showChosen();
      start();
    },
  };
}
