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
 * The upload dialog: one or more files, a name (editable for a single file; each file keeps
 * its own otherwise), progress over all bytes, the API's message on failure.
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
    'aria-label': 'Upload progress',
  });
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

  const files = (): File[] => Array.from(fileInput.files ?? []);

  fileInput.addEventListener('change', () => {
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
  });

  function setBusy(busy: boolean): void {
    submit.disabled = busy;
    fileInput.disabled = busy;
    nameInput.disabled = busy || files().length > 1;
    form.setAttribute('aria-busy', String(busy));
  }

  async function uploadAll(chosen: File[]): Promise<string[]> {
    const total = chosen.reduce((sum, file) => sum + file.size, 0) || 1;
    let sent = 0;
    const failures: string[] = [];
    for (const file of chosen) {
      const name = chosen.length === 1 ? nameInput.value.trim() : nameFromFileName(file.name);
      running = deps.uploadImage(name, file, (loaded) => {
        progress.value = Math.min(1, (sent + loaded) / total);
      });
      try {
        deps.onUploaded(await running.done);
      } catch (cause) {
        if (deps.onUnauthorized(cause)) return [];
        const message = errorMessage(cause);
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
  });

  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => running?.abort());

  return {
    element: dialog,
    open(): void {
      form.reset();
      delete nameInput.dataset.prefilled;
      nameHint.textContent = '';
      progress.hidden = true;
      progress.value = 0;
      showMessage(error, null);
      setBusy(false);
      dialog.showModal();
    },
  };
}
