import type { User } from '@gallery/api-client';
import type { Api } from '../api';
import { errorMessage, isUnauthorized } from '../api';
import { h, onPlainClick, showMessage } from '../dom';
import { createFailuresLoader } from '../failures-loader';
import { createImageLoader } from '../image-loader';
import { connectLive, type LiveStatus } from '../live';
import { hasFailure } from '../status-text';
import { createStore, initialState, type GalleryState } from '../store';
import { addressOf, viewOf } from '../address';
import { createSelection } from '../selection';
import { createAlbumDialog } from './album-dialog';
import { createAlbumHeader } from './album-header';
import { createAlbumList } from './album-list';
import { createFailuresDialog } from './failures-dialog';
import { createFilterBar } from './filter-bar';
import { createImageGrid } from './image-grid';
import { createPreviewDialog } from './preview-dialog';
import { createSearchBox } from './search-box';
import { createSelectionBar } from './selection-bar';
import { createUploadDialog } from './upload-dialog';

export interface GalleryDeps {
  api: Api;
  user: User;
  /** Back to the login page, with a reason to show when there is one. */
  onSignedOut: (message?: string) => void;
  /** Goes to another page of the app (the people, the account). */
  navigate: (path: string) => void;
}

const SESSION_ENDED = 'Your session has ended. Please sign in again.';

const LIVE_LABELS: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

/**
 * The gallery page, whole or one album (`/albums/<id>`), filtered, searched and ordered as
 * its address says: wires the store, the loader, the live stream and the views together.
 */
export function renderGallery({ api, user, onSignedOut, navigate }: GalleryDeps) {
  const start = viewOf(location.pathname, location.search);
  const store = createStore(initialState(start.tag, start.order, start));
  const selection = createSelection();

  const sessionLost = (error: unknown): boolean => {
    if (!isUnauthorized(error)) return false;
    onSignedOut(SESSION_ENDED);
    return true;
  };
  /** Back to the login page when the session ended; else the failure shown above the list. */
  const failed = (error: unknown): void => {
    if (!sessionLost(error)) showMessage(listError, errorMessage(error));
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

  /** Shows a view: the address follows (pushed, or replaced while a search is typed). */
  function show(change: Partial<ReturnType<typeof viewOf>>, { replace = false } = {}): void {
    const { tag, order, q, album } = store.getState();
    const view = { tag, order, q, album, ...change };
    const address = addressOf(view);
    if (address === `${location.pathname}${location.search}` && store.getState().loaded) return;
    if (replace) history.replaceState(null, '', address);
    else history.pushState(null, '', address);
    if (view.album !== album) selection.clear();
    void loader.show(view);
  }
  const applyFilter = (tag: string | null) => show({ tag });
  const onPopState = () => void loader.show(viewOf(location.pathname, location.search));

  /** What the API lets the one signed in change: theirs, or anything for an administrator. */
  const mayChange = (owner: { id: string } | null) =>
    user.role === 'admin' || owner?.id === user.id;
  const preview = createPreviewDialog({
    updateImage: api.updateImage,
    deleteImage: api.deleteImage,
    findImage: (id) => store.getState().items.find((image) => image.id === id) ?? null,
    isDeleted: (id) => store.getState().removed.has(id),
    onSaved: (image) => store.dispatch({ type: 'image.updated', data: image }),
    onDeleted: (id) => store.dispatch({ type: 'image.deleted', data: { id } }),
    onUnauthorized: sessionLost,
    neighbour: (id, step) => {
      const items = store.getState().items;
      const index = items.findIndex((image) => image.id === id);
      return index === -1 ? null : (items[index + step]?.id ?? null);
    },
    mayChange: (image) => mayChange(image.addedBy),
    coverOf: (image) => {
      const state = store.getState();
      const album = state.albums.find((each) => each.id === state.album);
      if (!album || !mayChange(album.addedBy) || album.cover?.imageId === image.id) return null;
      return () =>
        api
          .updateAlbum(album.id, { coverImageId: image.id })
          .then((updated) => store.dispatch({ type: 'album.updated', data: updated }));
    },
  });
  const upload = createUploadDialog({
    uploadImage: api.uploadImage,
    onUploaded: (image) => store.dispatch({ type: 'image.created', data: image }),
    onUnauthorized: sessionLost,
  });
  // The failures are the administrators' (the API answers 403 to members).
  const failures = createFailuresDialog({
    onOpen: () => {
      store.dispatch({ type: 'redrive.dismissed' });
      void failuresLoader.refresh();
    },
    onRedrive: () => void failuresLoader.redrive(),
  });
  const grid = createImageGrid({
    onOpen: (id) => preview.open(id),
    onTag: applyFilter,
    onSelect: (id, range) => {
      selection.toggle(id, { range, order: store.getState().items.map((image) => image.id) });
      renderSelection(store.getState());
    },
  });
  const filterBar = createFilterBar({
    onFilter: (tag) => applyFilter(tag),
    onOrder: (order) => show({ order }),
  });
  const searchBox = createSearchBox({ onSearch: (q) => show({ q }, { replace: true }) });
  const albumDialog = createAlbumDialog({
    save: (album, name, description) =>
      album ? api.updateAlbum(album.id, { name, description }) : api.createAlbum(name, description),
    onSaved: (album, created) => {
      store.dispatch({ type: created ? 'album.created' : 'album.updated', data: album });
      if (created) show({ album: album.id, tag: null, q: '' });
    },
    onUnauthorized: sessionLost,
  });
  const albumList = createAlbumList({
    onShow: (album) => show({ album, tag: null, q: '' }),
    onCreate: () => albumDialog.open(),
  });
  const albumHeader = createAlbumHeader({
    user,
    onEdit: (album) => albumDialog.open(album),
    onDelete: (album) => {
      if (!confirm(`Delete the album ${album.name}? Its images stay in the gallery.`)) return;
      api.deleteAlbum(album.id).then(() => {
        store.dispatch({ type: 'album.deleted', data: { id: album.id } });
        show({ album: null });
      }, failed);
    },
  });
  /** Runs a bulk action on the selection; what fails is said, what succeeded stays done. */
  function bulk(action: (ids: string[]) => Promise<unknown>): void {
    const ids = selection.ids();
    action(ids).then(() => {
      selection.clear();
      renderSelection(store.getState());
    }, failed);
  }
  const selectionBar = createSelectionBar({
    onAddToAlbum: (album) => bulk((ids) => api.addToAlbum(album, ids)),
    onRemoveFromAlbum: () => {
      const album = store.getState().album;
      if (album) bulk((ids) => api.removeFromAlbum(album, ids));
    },
    onDelete: () => {
      const count = selection.size();
      if (!confirm(`Delete ${count} ${count === 1 ? 'image' : 'images'} for good?`)) return;
      bulk(async (ids) => {
        for (const id of ids) {
          await api.deleteImage(id);
          store.dispatch({ type: 'image.deleted', data: { id } });
        }
      });
    },
    onClear: () => {
      selection.clear();
      renderSelection(store.getState());
    },
  });
  function renderSelection(state: GalleryState): void {
    selection.keep(state.items.map((image) => image.id));
    grid.renderSelection(selection.has);
    const mine = state.albums.filter((album) => mayChange(album.addedBy));
    const current = state.albums.find((album) => album.id === state.album);
    selectionBar.render(
      selection.size(),
      mine,
      current !== undefined && mayChange(current.addedBy),
    );
  }

  const liveStatus = h('span', { class: 'live', 'data-testid': 'live-status', role: 'status' });
  const uploadOpen = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'upload-open' },
    'Upload',
  );
  uploadOpen.addEventListener('click', () => upload.open());
  const accountLink = h('a', { href: '/account', 'data-testid': 'account-link' }, 'Account');
  const peopleLink = h('a', { href: '/people', 'data-testid': 'people-link' }, 'People');
  for (const link of [accountLink, peopleLink]) {
    onPlainClick(link, () => navigate(link.getAttribute('href') ?? '/'));
  }
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

  function emptyText(state: GalleryState): string {
    if (state.q !== '') return `Nothing matches “${state.q}”.`;
    if (state.tag !== null) return `No images tagged ${state.tag}.`;
    if (state.album !== null) return 'This album is empty: select images and add them to it.';
    return 'No images yet. Upload the first one, or drop files anywhere on the page.';
  }

  function render(state: GalleryState): void {
    grid.render(state.items);
    filterBar.render(state.tag, state.order);
    searchBox.render(state.q);
    albumList.render(state.albums, state.album);
    albumHeader.render(state.albums.find((album) => album.id === state.album) ?? null);
    renderSelection(state);
    document.title = [
      state.q && `“${state.q}”`,
      state.albums.find((album) => album.id === state.album)?.name,
      'Gallery',
    ]
      .filter(Boolean)
      .join(' · ');
    const nothing = state.loaded && state.items.length === 0;
    showMessage(empty, nothing ? emptyText(state) : null);
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
      void loadAlbums();
    },
  });
  const loadAlbums = () =>
    api.listAlbums().then((albums) => store.dispatch({ type: 'albums.loaded', albums }), failed);

  // Files dragged from the desktop can be dropped anywhere on the page.
  const dropHint = h(
    'div',
    { class: 'drop-hint', 'aria-hidden': 'true' },
    'Drop the images to upload them',
  );
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
  const onDragOver = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dropHint.classList.add('shown');
  };
  const onDragLeave = (event: DragEvent) => {
    if (event.relatedTarget === null) dropHint.classList.remove('shown');
  };
  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dropHint.classList.remove('shown');
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length > 0) upload.uploadFiles(files);
  };

  const element = h(
    'div',
    { class: 'page' },
    h(
      'header',
      { class: 'app-header' },
      h('h1', {}, 'Gallery'),
      liveStatus,
      searchBox.element,
      h('span', { class: 'spacer' }),
      h('span', { class: 'user', 'data-testid': 'current-user' }, user.username),
      accountLink,
      user.role === 'admin' && peopleLink,
      user.role === 'admin' && failures.openButton,
      uploadOpen,
      logout,
    ),
    h(
      'div',
      { class: 'layout' },
      albumList.element,
      h(
        'main',
        { class: 'content' },
        albumHeader.element,
        filterBar.element,
        selectionBar.element,
        grid.element,
        empty,
        listError,
        loadMore,
      ),
    ),
    preview.element,
    upload.element,
    failures.element,
    albumDialog.element,
    dropHint,
  );

  window.addEventListener('popstate', onPopState);
  window.addEventListener('dragover', onDragOver);
  window.addEventListener('dragleave', onDragLeave);
  window.addEventListener('drop', onDrop);
  render(store.getState());
  observer.observe(loadMore);
  void loader.show();
  void loadAlbums();
  if (user.role === 'admin') void failuresLoader.refresh();

  return {
    element,
    destroy(): void {
      live.close();
      failuresLoader.stop();
      observer.disconnect();
      unsubscribe();
      window.removeEventListener('popstate', onPopState);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
      searchBox.destroy();
      for (const dialog of [
        preview.element,
        upload.element,
        failures.element,
        albumDialog.element,
      ]) {
        if (dialog.open) dialog.close();
      }
    },
  };
}
