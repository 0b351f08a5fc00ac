import type { User } from '@gallery/api-client';
import type { Api } from '../api';
import { errorMessage } from '../api';
import { h, onPlainClick, showMessage } from '../dom';

/** A page beside the gallery: its title, a way back, its content. */
export function pageFrame(
  title: string,
  navigate: (path: string) => void,
  ...content: (Node | false | null)[]
): HTMLElement {
  const back = h('a', { href: '/', 'data-testid': 'back-to-gallery' }, '← Back to the gallery');
  onPlainClick(back, () => navigate('/'));
  return h(
    'div',
    { class: 'page' },
    h('header', { class: 'app-header' }, h('h1', {}, title), h('span', { class: 'spacer' }), back),
    h('main', { class: 'content narrow' }, ...content),
  );
}

/** A form field with its label. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
}

/** What a page beside the gallery is given. */
export interface PageDeps {
  api: Api;
  user: User;
  navigate: (path: string) => void;
  /** Back to the login page when the session has ended; false for any other failure. */
  onUnauthorized: (error: unknown) => boolean;
}

/** A page's two lines of feedback: what was done (`say`), and what failed and why (`fail`). */
export function createNotices(name: string, onUnauthorized: (error: unknown) => boolean) {
  const status = h('p', { class: 'note', role: 'status', 'data-testid': `${name}-status` });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': `${name}-error` });
  return {
    elements: [status, error] as const,
    say(message: string): void {
      showMessage(error, null);
      showMessage(status, message);
    },
    fail(cause: unknown): void {
      if (onUnauthorized(cause)) return;
      showMessage(status, null);
      showMessage(error, errorMessage(cause));
    },
  };
}
