import type { User } from '@gallery/api-client';
import type { Api } from '../api';
import { errorMessage, isUnauthorized } from '../api';
import { h, showMessage } from '../dom';
import { createFailuresLoader } from '../failures-loader';
import { createImageLoader } from '../image-loader';
import { connectLive, type LiveStatus } from '../live';
import { hasFailure } from '../status-text';
import { createStore, initialState, type GalleryState, type ListOrder } from '../store';
import { orderFromSearch, searchWithTag, tagFromSearch } from '../tag-filter';
import { createFailuresDialog } from './failures-dialog';
import { createFilterBar } from './filter-bar';
import { createImageGrid } from './image-grid';
import { createPreviewDialog } from './preview-dialog';
import { createUploadDialog } from './upload-dialog';

export interface GalleryDeps {
  api: Api;
  user: User;
  /** Back to the login page, with a reason to show when there is one. */
  onSignedOut: (message?: string) => void;
}

const SESSION_ENDED = 'Your session has ended. Please sign in again.';

const LIVE_LABELS: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

/** The gallery page: wires the store, the loader, the live stream and the views together. */
export function renderGallery({ api, user, onSignedOut }: GalleryDeps) {
  const store = createStore(
    initialState(tagFromSearch(location.search), orderFromSearch(location.search)),
  );

  const sessionLost = (error: unknown): boolean => {
    if (!isUnauthorized(error)) return false;
    onSignedOut(SESSION_ENDED);
    return true;
  };
  const loader = createImageLoader({
    listImages: api.listImages,
    store,
    onUnauthorized: () => onSignedOut(SESSION_ENDED),
  });
  const failuresLoader = createFailuresLoader({
    listFailures: api.listFailures,
    redriveFailures: api.redriveFailures,
    store,
    onUnauthorized: () => onSignedOut(SESSION_ENDED),
  });

  function applyFilter(tag: string | null, order: ListOrder = store.getState().order): void {
    const state = store.getState();
    if (tag === state.tag && order === state.order && state.loaded) return;
    history.pushState(
      null,
      '',
      `${location.pathname}${searchWithTag(location.search, tag, order)}`,
    );
    void loader.show(tag, order);
  }
  const onPopState = () =>
    void loader.show(tagFromSearch(location.search), orderFromSearch(location.search));

  const preview = createPreviewDialog({
    updateImage: api.updateImage,
    deleteImage: api.deleteImage,
    findImage: (id) => store.getState().items.find((image) => image.id === id) ?? null,
    isDeleted: (id) => store.getState().removed.has(id),
    onSaved: (image) => store.dispatch({ type: 'image.updated', data: image }),
    onDeleted: (id) => store.dispatch({ type: 'image.deleted', data: { id } }),
    onUnauthorized: sessionLost,
  });
  const upload = createUploadDialog({
    uploadImage: api.uploadImage,
    onUploaded: (image) => store.dispatch({ type: 'image.created', data: image }),
    onUnauthorized: sessionLost,
  });
  // Gallery has one user, its admin: whoever is signed in sees the failures.
  const failures = createFailuresDialog({
    onOpen: () => {
      store.dispatch({ type: 'redrive.dismissed' });
      void failuresLoader.refresh();
    },
    onRedrive: () => void failuresLoader.redrive(),
  });
  const grid = createImageGrid({ onOpen: (id) => preview.open(id), onTag: applyFilter });
  const filterBar = createFilterBar({
    onFilter: (tag) => applyFilter(tag),
    onOrder: (order) => applyFilter(store.getState().tag, order),
  });

  const liveStatus = h('span', { class: 'live', 'data-testid': 'live-status', role: 'status' });
  const uploadOpen = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'upload-open' },
    'Upload',
  );
  uploadOpen.addEventListener('click', () => upload.open());
  const logout = h(
    'button',
    { type: 'button', 'data-testid': 'logout', title: `Signed in as ${user.username}` },
    'Sign out',
  );
  logout.addEventListener('click', () => {
    logout.disabled = true;
    api.logout().then(
      () => onSignedOut(),
      (error: unknown) => {
        if (sessionLost(error)) return;
        logout.disabled = false;
        showMessage(listError, `Signing out failed: ${errorMessage(error)}`);
      },
    );
  });

  const empty = h('p', { class: 'empty', 'data-testid': 'gallery-empty' });
  const listError = h('p', { class: 'error', role: 'alert', 'data-testid': 'gallery-error' });
  const loadMore = h('button', { type: 'button', class: 'load-more', 'data-testid': 'load-more' });
  loadMore.addEventListener('click', () => void loader.loadMore());

  // Infinite scroll: the "Load more" button doubles as the sentinel, and stays a button
  // for keyboards and for browsers that scroll no further.
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void loader.loadMore();
    },
    { rootMargin: '400px 0px' },
  );
  let wasLoading = false;

  function render(state: GalleryState): void {
    grid.render(state.items);
    filterBar.render(state.tag, state.order);
    const nothing = state.loaded && state.items.length === 0;
    showMessage(
      empty,
      !nothing
        ? null
        : state.tag === null
          ? 'No images yet. Upload the first one.'
          : `No images tagged ${state.tag}.`,
    );
    showMessage(listError, state.error);
    const more = state.error !== null || !state.loaded || state.nextCursor !== null;
    loadMore.hidden = !more;
    loadMore.disabled = state.loading;
    loadMore.textContent = state.loading ? 'Loading…' : state.error ? 'Try again' : 'Load more';
    failures.render(state);
    preview.refresh();
    // Observing anew reports whether the sentinel is still in view once the page is laid
    // out, so a page that did not fill the screen is followed by the next one.
    if (wasLoading && !state.loading && state.error === null && more) {
      observer.unobserve(loadMore);
      observer.observe(loadMore);
    }
    wasLoading = state.loading;
  }
  const unsubscribe = store.subscribe(render);

  const live = connectLive({
    onEvent: (event) => {
      store.dispatch(event);
      if (event.type === 'image.updated' && hasFailure(event.data)) failuresLoader.followUp();
    },
    onStatus: (status) => {
      liveStatus.textContent = LIVE_LABELS[status];
      liveStatus.dataset.status = status;
    },
    onReset: () => {
      void loader.reload();
      void failuresLoader.refresh();
    },
  });

  const element = h(
    'div',
    { class: 'page' },
    h(
      'header',
      { class: 'app-header' },
      h('h1', {}, 'Gallery'),
      liveStatus,
      h('span', { class: 'spacer' }),
      h('span', { class: 'user', 'data-testid': 'current-user' }, user.username),
      failures.openButton,
      uploadOpen,
      logout,
    ),
    h('main', { class: 'content' }, filterBar.element, grid.element, empty, listError, loadMore),
    preview.element,
    upload.element,
    failures.element,
  );

  window.addEventListener('popstate', onPopState);
  render(store.getState());
  observer.observe(loadMore);
  void loader.show(store.getState().tag);
  void failuresLoader.refresh();

  return {
    element,
    destroy(): void {
      live.close();
      failuresLoader.stop();
      observer.disconnect();
      unsubscribe();
      window.removeEventListener('popstate', onPopState);
      for (const dialog of [preview.element, upload.element, failures.element]) {
        if (dialog.open) dialog.close();
      }
    },
  };
}
