import type { GalleryEvent, ImagePage, ImageView } from '@gallery/message-schema';
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

export interface GalleryState {
  /** The current tag filter, or null for every image. */
  tag: string | null;
  order: ListOrder;
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
}

export type GalleryAction =
  | GalleryEvent
  /** Starts over with this filter and order (also used to reload the same); upload order unless given. */
  | { type: 'filter.changed'; tag: string | null; order?: ListOrder }
  | { type: 'more.requested' }
  /** `tag`, `order` and `cursor` are the request's, to drop answers that arrive too late. */
  | {
      type: 'page.loaded';
      tag: string | null;
      order?: ListOrder;
      cursor: string | null;
      page: ImagePage;
    }
  | { type: 'page.failed'; tag: string | null; order?: ListOrder; message: string }
  | FailuresAction;

export const initialState = (
  tag: string | null = null,
  order: ListOrder = 'uploaded',
): GalleryState => ({
  tag,
  order,
  items: [],
  nextCursor: null,
  loaded: false,
  loading: false,
  error: null,
  removed: new Set(),
  failures: initialFailures(),
});

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

const sameView = (state: GalleryState, action: { tag: string | null; order?: ListOrder }) =>
  action.tag === state.tag && (action.order ?? 'uploaded') === state.order;

/** An image the view does not show yet: shown if it matches the filter and the loaded range. */
function admit(state: GalleryState, image: ImageView): GalleryState {
  if (state.removed.has(image.id) || !matchesTag(image, state.tag)) return state;
  if (!withinLoadedRange(state, image)) return state;
  return { ...state, items: inOrder(state.order, [image, ...state.items]) };
}

function replace(state: GalleryState, image: ImageView): GalleryState {
  const index = state.items.findIndex((item) => item.id === image.id);
  if (index === -1) return admit(state, image);
  // An edit that drops the filtered tag takes the image out of the filtered view.
  if (!matchesTag(image, state.tag)) return remove(state, image.id, false);
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
        ...initialState(action.tag, action.order),
        loading: true,
        removed: state.removed,
        failures: state.failures,
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
      return replace(state, action.data);
    case 'image.deleted':
      return remove(state, action.data.id, true);
    case 'album.created':
    case 'album.updated':
    case 'album.deleted':
      // The gallery's own list does not show albums.
      return state;
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
