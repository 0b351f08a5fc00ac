import './zod-config';
import type { User } from '@gallery/api-client';
import { createApi, errorMessage, isUnauthorized } from './api';
import { renderGallery } from './views/gallery';
import { renderLogin } from './views/login';

const api = createApi();
const root = document.getElementById('app') ?? document.body;
let leave: (() => void) | null = null;

function showLogin(message?: string): void {
  leave?.();
  leave = null;
  root.replaceChildren(renderLogin({ login: api.login, onLoggedIn: showGallery, message }));
  document.title = 'Sign in · Gallery';
}

function showGallery(user: User): void {
  leave?.();
  const gallery = renderGallery({ api, user, onSignedOut: showLogin });
  leave = gallery.destroy;
  root.replaceChildren(gallery.element);
  document.title = 'Gallery';
}

// The session cookie is httpOnly: asking the API is the only way to know who is signed in.
api
  .me()
  .then(showGallery, (error: unknown) =>
    showLogin(
      isUnauthorized(error) ? undefined : `Cannot check the session: ${errorMessage(error)}`,
    ),
  );
