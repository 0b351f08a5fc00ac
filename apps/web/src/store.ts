import type { AlbumView, GalleryEvent, ImagePage, ImageView } from '@gallery/message-schema';
import {
  initialFailures,
  isFailuresAction,
  reduceFailures,
  type FailuresAction,
  type FailuresState,
} from './failures-state';
import { matchesTag } from './tag-filter';

/** Newest upload first, or newest date taken first (images without one after). */
export type ListOrder = 'uploaded' | 'taken';

/** What the list shows: a filter by tag, words to search, an album, and the order. */
export interface ListView {
  /** The tag filter, or null for every image. */
  tag: string | null;
  order?: ListOrder;
  /** Words every image must have; '' for none. */
  q?: string;
  /** An album's id: only its images. */
  album?: string | null;
}

export interface GalleryState {
  /** The current tag filter, or null for every image. */
  tag: string | null;
  order: ListOrder;
  /** The current search, '' for none. */
  q: string;
  /** The album shown, or null for the whole gallery. */
  album: string | null;
  /** In `order`. */
  items: readonly ImageView[];
  /** Where the next page starts; null once the last page is in (or before the first). */
  nextCursor: string | null;
  /** Whether the first page of the current filter has arrived. */
  loaded: boolean;
  loading: boolean;
  error: string | null;
  /** Ids deleted while this page was open: a late page or event must not bring them back. */
  removed: ReadonlySet<string>;
  /** The dead letters of the processors' queues, for the failures panel. */
  failures: FailuresState;
  /** Every album, by name, kept current by the live events. */
  albums: readonly AlbumView[];
}

export type GalleryAction =
  | GalleryEvent
  /** Starts over with this view (also used to reload the same); upload order unless given. */
  | ({ type: 'filter.changed' } & ListView)
  | { type: 'more.requested' }
  /** The view and `cursor` are the request's, to drop answers that arrive too late. */
  | ({ type: 'page.loaded'; cursor: string | null; page: ImagePage } & ListView)
  | ({ type: 'page.failed'; message: string } & ListView)
  | { type: 'albums.loaded'; albums: readonly AlbumView[] }
  | FailuresAction;

export const initialState = (
  tag: string | null = null,
  order: ListOrder = 'uploaded',
  { q = '', album = null }: { q?: string; album?: string | null } = {},
): GalleryState => ({
  tag,
  order,
  q,
  album,
  items: [],
  nextCursor: null,
  loaded: false,
  loading: false,
  error: null,
  removed: new Set(),
  failures: initialFailures(),
  albums: [],
});

const byName = (a: AlbumView, b: AlbumView) =>
  a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id);

/** An album whose cover had no thumbnail yet gets the one this image has just been given. */
function withCoverThumbnail(state: GalleryState, image: ImageView): GalleryState {
  const url = image.thumbnails[0]?.url;
  const waiting = (album: AlbumView) =>
    album.cover?.imageId === image.id && !album.cover.thumbnailUrl;
  if (!url || !state.albums.some(waiting)) return state;
  return {
    ...state,
    albums: state.albums.map((album) =>
      waiting(album) ? { ...album, cover: { imageId: image.id, thumbnailUrl: url } } : album,
    ),
  };
}

function withAlbum(albums: readonly AlbumView[], album: AlbumView): readonly AlbumView[] {
  return [...albums.filter((each) => each.id !== album.id), album].sort(byName);
}

const uploaded = (image: ImageView) => Date.parse(image.createdAt) || 0;
const taken = (image: ImageView) => image.metadata?.takenAt ?? null;

/**
 * How two images compare in the list's order, as the API orders it: newest upload first; or
 * newest date taken first (the camera's clock, compared as text like the API does), then those
 * without one by upload. Negative: `a` comes first.
 */
function compare(order: ListOrder, a: ImageView, b: ImageView): number {
  if (order === 'taken') {
    const [ta, tb] = [taken(a), taken(b)];
    if (ta !== tb) {
      if (ta === null) return 1;
      if (tb === null) return -1;
      return ta < tb ? 1 : -1;
    }
  }
  return uploaded(b) - uploaded(a);
}

function inOrder(order: ListOrder, items: ImageView[]): ImageView[] {
  // Array.prototype.sort is stable: images that compare equal keep the API's order.
  return items.sort((a, b) => compare(order, a, b));
}

/** Whether an image comes before the last loaded one, or the list is complete, so it belongs here. */
function withinLoadedRange(state: GalleryState, image: ImageView): boolean {
  if (state.nextCursor === null) return true;
  const last = state.items[state.items.length - 1];
  return !last || compare(state.order, image, last) <= 0;
}

const sameView = (state: GalleryState, action: ListView) =>
  action.tag === state.tag &&
  (action.order ?? 'uploaded') === state.order &&
  (action.q ?? '') === state.q &&
  (action.album ?? null) === state.album;

/**
 * Whether an image belongs in the view, as far as the browser can tell: its tag and its
 * album. Whether it matches a search only the server knows.
 */
const belongs = (state: GalleryState, image: ImageView) =>
  matchesTag(image, state.tag) && (state.album === null || image.albums.includes(state.album));

/**
 * An image the view does not show yet: shown if it belongs and falls in the loaded range.
 * During a search a newcomer is left out: the server decides what matches, on the next search.
 */
function admit(state: GalleryState, image: ImageView): GalleryState {
  if (state.removed.has(image.id) || state.q !== '' || !belongs(state, image)) return state;
  if (!withinLoadedRange(state, image)) return state;
  return { ...state, items: inOrder(state.order, [image, ...state.items]) };
}

function replace(state: GalleryState, image: ImageView): GalleryState {
  const index = state.items.findIndex((item) => item.id === image.id);
  if (index === -1) return admit(state, image);
  // An edit that drops the filtered tag, or a move out of the album, takes it out of the view.
  if (!belongs(state, image)) return remove(state, image.id, false);
  const items = state.items.slice();
  items[index] = image;
  if (state.order === 'uploaded' || compare('taken', state.items[index], image) === 0) {
    return { ...state, items };
  }
  // Its date taken has just been read: it moves, or leaves the loaded range until paged to.
  const moved = { ...state, items: items.filter((item) => item.id !== image.id) };
  return admit(moved, image);
}

function remove(state: GalleryState, id: string, deleted: boolean): GalleryState {
  const items = state.items.filter((item) => item.id !== id);
  const removed =
    deleted && !state.removed.has(id) ? new Set(state.removed).add(id) : state.removed;
  if (items.length === state.items.length && removed === state.removed) return state;
  return { ...state, items, removed };
}

function appendPage(state: GalleryState, action: { cursor: string | null; page: ImagePage }) {
  const known = new Set(state.items.map((item) => item.id));
  // Images already shown came from an event at least as recent as this page: keep them.
  const fresh = action.page.items.filter(
    (image) => !known.has(image.id) && !state.removed.has(image.id),
  );
  return {
    ...state,
    items: inOrder(state.order, [...state.items, ...fresh]),
    nextCursor: action.page.nextCursor,
    loaded: true,
    loading: false,
    error: null,
  };
}

/**
 * The gallery's state transitions, pure: list pages, live events, the filter and the dead
 * letters. Returns the same state object when an action changes nothing, so views can skip a
 * render.
 */
export function reduce(state: GalleryState, action: GalleryAction): GalleryState {
  if (isFailuresAction(action)) {
    const failures = reduceFailures(state.failures, action);
    return failures === state.failures ? state : { ...state, failures };
  }
  switch (action.type) {
    case 'filter.changed':
      return {
        ...initialState(action.tag, action.order, action),
        loading: true,
        removed: state.removed,
        failures: state.failures,
        albums: state.albums,
      };
    case 'more.requested':
      return state.loading ? state : { ...state, loading: true, error: null };
    case 'page.loaded': {
      const expected = state.loaded ? state.nextCursor : null;
      // A page for another filter or order, or one already appended, is stale.
      if (!sameView(state, action) || action.cursor !== expected) return state;
      if (state.loaded && action.cursor === null) return state;
      return appendPage(state, action);
    }
    case 'page.failed':
      if (!sameView(state, action)) return state;
      return { ...state, loading: false, error: action.message };
    case 'image.created':
      return state.items.some((item) => item.id === action.data.id)
        ? state
        : admit(state, action.data);
    case 'image.updated':
      return withCoverThumbnail(replace(state, action.data), action.data);
    case 'image.deleted':
      return remove(state, action.data.id, true);
    case 'albums.loaded':
      return { ...state, albums: [...action.albums].sort(byName) };
    case 'album.created':
    case 'album.updated':
      return { ...state, albums: withAlbum(state.albums, action.data) };
    case 'album.deleted':
      return { ...state, albums: state.albums.filter((album) => album.id !== action.data.id) };
  }
}

export type Listener = (state: GalleryState) => void;

/** Holds the state and tells listeners when it changes. */
export function createStore(state: GalleryState = initialState()) {
  const listeners = new Set<Listener>();
  return {
    getState: () => state,
    dispatch(action: GalleryAction): void {
      const next = reduce(state, action);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener(state);
    },
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Store = ReturnType<typeof createStore>;
