import type { User } from '@gallery/api-client';
import { errorMessage } from '../api';
import { h, showMessage } from '../dom';

export interface LoginDeps {
  login: (username: string, password: string) => Promise<User>;
  onLoggedIn: (user: User) => void;
  /** Shown at once, e.g. when the session ran out or the server could not be reached. */
  message?: string;
}

export function renderLogin(deps: LoginDeps): HTMLElement {
  const username = h('input', {
    id: 'login-username',
    name: 'username',
    'data-testid': 'login-username',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
  });
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    'data-testid': 'login-password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit', 'data-testid': 'login-submit' }, 'Sign in');
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'login-error' });
  showMessage(error, deps.message ?? null);

  const form = h(
    'form',
    { class: 'login stack', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Gallery'),
    h('label', { for: 'login-username' }, 'Username'),
    username,
    h('label', { for: 'login-password' }, 'Password'),
    password,
    error,
    submit,
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    showMessage(error, null);
    deps.login(username.value.trim(), password.value).then(
      (user) => deps.onLoggedIn(user),
      (cause: unknown) => {
        submit.disabled = false;
        showMessage(error, errorMessage(cause));
        password.select();
      },
    );
  });

  queueMicrotask(() => username.focus());
  return h('main', { class: 'login-page' }, form);
}
