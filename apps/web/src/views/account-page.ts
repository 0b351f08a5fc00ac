import type { SessionInfo } from '@gallery/api-client';
import { h } from '../dom';
import { createNotices, field, pageFrame, type PageDeps } from './page-frame';

/** One's own account: change the password (the current one required), see and end sessions. */
export function renderAccountPage({ api, user, navigate, onUnauthorized }: PageDeps): HTMLElement {
  const { elements: notices, say, fail } = createNotices('account', onUnauthorized);

  const current = h('input', {
    id: 'password-current',
    type: 'password',
    required: true,
    autocomplete: 'current-password',
    'data-testid': 'password-current',
  });
  const next = h('input', {
    id: 'password-new',
    type: 'password',
    required: true,
    minlength: 8,
    autocomplete: 'new-password',
    'data-testid': 'password-new',
  });
  const again = h('input', {
    id: 'password-again',
    type: 'password',
    required: true,
    minlength: 8,
    autocomplete: 'new-password',
    'data-testid': 'password-again',
  });
  const form = h(
    'form',
    { class: 'stack', 'aria-labelledby': 'password-title' },
    h('h2', { id: 'password-title' }, 'Change your password'),
    field('Current password', current),
    field('New password (8 characters at least)', next),
    field('New password again', again),
    h(
      'button',
      { type: 'submit', class: 'primary', 'data-testid': 'password-save' },
      'Change password',
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (next.value !== again.value) return fail(new Error('The two new passwords differ.'));
    api.changePassword(current.value, next.value).then(() => {
      form.reset();
      say('Password changed. Your other sessions have ended.');
      void load();
    }, fail);
  });

  const sessions = h('ul', { class: 'sessions', 'data-testid': 'sessions' });
  const when = (iso: string) => new Date(iso).toLocaleString();
  function item(session: SessionInfo): HTMLLIElement {
    const end = h('button', { type: 'button', 'data-testid': 'session-end' }, 'End');
    end.setAttribute(
      'aria-label',
      `End the session from ${session.userAgent ?? 'an unknown browser'}`,
    );
    end.addEventListener('click', () =>
      api.endSession(session.id).then(() => {
        say('Session ended.');
        void load();
      }, fail),
    );
    return h(
      'li',
      { 'data-testid': 'session', 'data-current': String(session.current) },
      h('span', {}, session.userAgent ?? 'Unknown browser'),
      h(
        'span',
        { class: 'hint' },
        ` since ${when(session.createdAt)}, last used ${when(session.lastSeenAt)}`,
      ),
      session.current ? h('strong', {}, ' (this one)') : end,
    );
  }
  const load = () =>
    api.listSessions().then((list) => sessions.replaceChildren(...list.map(item)), fail);

  void load();
  document.title = 'Account · Gallery';
  return pageFrame(
    `Account: ${user.username}`,
    navigate,
    ...notices,
    form,
    h(
      'section',
      { 'aria-labelledby': 'sessions-title' },
      h('h2', { id: 'sessions-title' }, 'Where you are signed in'),
      sessions,
    ),
  );
}
