import type { FailureView } from '@gallery/message-schema';
import { h, showMessage } from '../dom';
import { describeFailure, failureCountLabel, redriveText } from '../failure-text';
import { failureCount } from '../failures-state';
import type { GalleryState } from '../store';

export interface FailuresDialogDeps {
  /** The panel is opening: read the list afresh. */
  onOpen: () => void;
  onRedrive: () => void;
}

function renderFailure(failure: FailureView, nameOf: (id: string) => string | null) {
  const text = describeFailure(failure, nameOf);
  return h(
    'li',
    { class: 'failure', 'data-testid': 'failure-item', 'data-message-id': failure.messageId },
    h(
      'div',
      { class: 'failure-head' },
      h('span', { class: 'failure-subject', 'data-testid': 'failure-image' }, text.subject),
      h('span', { class: 'chip', 'data-testid': 'failure-queue' }, text.queue),
    ),
    h('p', { class: 'failure-reason', 'data-testid': 'failure-reason' }, text.reason),
    h(
      'p',
      { class: 'facts' },
      h('span', { 'data-testid': 'failure-attempts' }, text.attempts),
      ' · ',
      h('time', { datetime: failure.deadLetteredAt, 'data-testid': 'failure-time' }, text.time),
    ),
  );
}

/**
 * The failures button for the header (with the number of dead letters) and the panel it
 * opens: each dead letter with its image, queue, reason, receive count and time, and a way
 * to send them all back for another try.
 */
export function createFailuresDialog(deps: FailuresDialogDeps) {
  const badge = h('span', { class: 'badge', 'data-testid': 'failures-count', hidden: true });
  const openButton = h(
    'button',
    { type: 'button', class: 'failures-open', 'data-testid': 'failures-open' },
    'Failures',
    badge,
  );

  const close = h(
    'button',
    { type: 'button', class: 'icon', 'aria-label': 'Close', 'data-testid': 'failures-close' },
    '×',
  );
  const list = h('ul', {
    class: 'failure-list',
    'data-testid': 'failures-list',
    'aria-labelledby': 'failures-title',
  });
  const empty = h('p', { class: 'empty', 'data-testid': 'failures-empty' });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'failures-error' });
  const redrive = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'failures-redrive' },
    'Send back for another try',
  );
  const result = h('p', { class: 'note', 'data-testid': 'failures-result', 'aria-live': 'polite' });

  const dialog = h(
    'dialog',
    { class: 'failures', 'aria-labelledby': 'failures-title', 'data-testid': 'failures-panel' },
    h(
      'header',
      { class: 'dialog-header' },
      h('h2', { id: 'failures-title' }, 'Processing failures'),
      close,
    ),
    h(
      'p',
      { class: 'hint' },
      'Events a worker gave up on, newest first. Sending them back puts them on their queue again.',
    ),
    error,
    empty,
    list,
    h('div', { class: 'actions' }, redrive, result),
  );

  openButton.addEventListener('click', () => {
    deps.onOpen();
    if (!dialog.open) dialog.showModal();
  });
  redrive.addEventListener('click', () => deps.onRedrive());
  close.addEventListener('click', () => dialog.close());
  // A click on the backdrop lands on the dialog element itself.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });

  let shownItems: GalleryState['failures']['items'] | undefined;
  let shownImages: GalleryState['items'] | undefined;

  function render(state: GalleryState): void {
    const { failures } = state;
    const count = failureCount(failures);
    showMessage(badge, count ? String(count) : null);
    openButton.title = count === null ? 'Processing failures' : failureCountLabel(count);
    openButton.dataset.failures = count ? 'some' : 'none';

    // Rebuilt only when the list or the names it shows may have changed.
    if (failures.items !== shownItems || state.items !== shownImages) {
      const names = new Map(state.items.map((image) => [image.id, image.name]));
      const nameOf = (id: string) => names.get(id) ?? null;
      list.replaceChildren(...(failures.items ?? []).map((f) => renderFailure(f, nameOf)));
      shownItems = failures.items;
      shownImages = state.items;
    }
    list.setAttribute('aria-busy', String(failures.loading));
    const waiting = count === null && failures.loading;
    showMessage(empty, count === 0 ? 'Nothing has failed.' : waiting ? 'Looking…' : null);

    const { redrive: outcome } = failures;
    showMessage(
      error,
      [failures.error, outcome.status === 'failed' ? outcome.message : null]
        .filter((message) => message !== null)
        .join('\n') || null,
    );
    showMessage(result, outcome.status === 'done' ? redriveText(outcome.moved) : null);
    redrive.disabled = outcome.status === 'running' || count === 0;
    redrive.textContent =
      outcome.status === 'running' ? 'Sending back…' : 'Send back for another try';
  }

  return { element: dialog, openButton, render };
}

export type FailuresDialog = ReturnType<typeof createFailuresDialog>;
