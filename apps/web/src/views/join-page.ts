import type { User } from '@gallery/api-client';
import { errorMessage } from '../api';
import { h, showMessage } from '../dom';

/** Joining with an invitation link (`/join#<token>`): one's own name and password. */
export function renderJoinPage({
  join,
  onJoined,
}: {
  join: (token: string, username: string, password: string) => Promise<User>;
  onJoined: (user: User) => void;
}): HTMLElement {
  const token = location.hash.slice(1);
  const username = h('input', {
    id: 'join-name',
    required: true,
    maxlength: 60,
    autocomplete: 'username',
    'data-testid': 'join-name',
  });
  const password = h('input', {
    id: 'join-password',
    type: 'password',
    required: true,
    minlength: 8,
    autocomplete: 'new-password',
    'data-testid': 'join-password',
  });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'join-error' });
  const submit = h(
    'button',
    { type: 'submit', class: 'primary', 'data-testid': 'join-submit' },
    'Join',
  );
  const form = h(
    'form',
    { class: 'login stack', 'aria-labelledby': 'join-title' },
    h('h1', { id: 'join-title' }, 'Join the gallery'),
    h('label', { for: 'join-name' }, 'Your name'),
    username,
    h('label', { for: 'join-password' }, 'Your password (8 characters at least)'),
    password,
    error,
    submit,
  );
  if (token === '') showMessage(error, 'This page needs the whole invitation link.');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    join(token, username.value.trim(), password.value).then(
      (user) => {
        // The token is spent: out of the address and the history.
        history.replaceState(null, '', '/');
        onJoined(user);
      },
      (cause: unknown) => {
        submit.disabled = false;
        showMessage(error, errorMessage(cause));
      },
    );
  });
  document.title = 'Join · Gallery';
  return h('main', { class: 'login-page' }, form);
}
