import './zod-config';
import type { User } from '@gallery/api-client';
import { createApi, errorMessage, isUnauthorized } from './api';
import { renderAccountPage } from './views/account-page';
import { renderGallery } from './views/gallery';
import { renderJoinPage } from './views/join-page';
import { renderLogin } from './views/login';
import { renderPeoplePage } from './views/people-page';

const api = createApi();
const root = document.getElementById('app') ?? document.body;
let leave: (() => void) | null = null;
let user: User | null = null;
/** Which page is shown: the gallery keeps its own address (albums, searches) in step itself. */
let shown: string | null = null;

const SESSION_ENDED = 'Your session has ended. Please sign in again.';

function showLogin(message?: string): void {
  leave?.();
  leave = null;
  user = null;
  shown = 'login';
  root.replaceChildren(renderLogin({ login: api.login, onLoggedIn: signedIn, message }));
  document.title = 'Sign in · Gallery';
}

const pageOf = (pathname: string) =>
  pathname === '/people' || pathname === '/account' || pathname === '/join' ? pathname : 'gallery';

function signedIn(signedInUser: User): void {
  user = signedInUser;
  shown = null;
  route();
}

function navigate(path: string): void {
  history.pushState(null, '', path);
  route();
}

/** Shows the page the address names, once it is another page than the one shown. */
function route(): void {
  const page = pageOf(location.pathname);
  if (page === '/join' && !user) {
    leave?.();
    leave = null;
    shown = page;
    root.replaceChildren(renderJoinPage({ join: api.join, onJoined: signedIn }));
    return;
  }
  if (!user) return showLogin();
  if (page === shown) return;
  leave?.();
  leave = null;
  shown = page;
  const onUnauthorized = (error: unknown) => {
    if (!isUnauthorized(error)) return false;
    showLogin(SESSION_ENDED);
    return true;
  };
  if (page === '/people' && user.role === 'admin') {
    root.replaceChildren(renderPeoplePage({ api, user, navigate, onUnauthorized }));
  } else if (page === '/account') {
    root.replaceChildren(renderAccountPage({ api, user, navigate, onUnauthorized }));
  } else {
    if (page !== 'gallery') history.replaceState(null, '', '/');
    shown = 'gallery';
    const gallery = renderGallery({ api, user, onSignedOut: showLogin, navigate });
    leave = gallery.destroy;
    root.replaceChildren(gallery.element);
  }
}

window.addEventListener('popstate', () => {
  if (shown !== 'login') route();
});

// The session cookie is httpOnly: asking the API is the only way to know who is signed in.
if (pageOf(location.pathname) === '/join') route();
else {
  api
    .me()
    .then(signedIn, (error: unknown) =>
      showLogin(
        isUnauthorized(error) ? undefined : `Cannot check the session: ${errorMessage(error)}`,
      ),
    );
}
