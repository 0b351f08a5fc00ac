import type { ImagePage } from '@gallery/message-schema';
import type { ListImagesQuery } from '@gallery/api-client';
import { errorMessage, isUnauthorized } from './api';
import type { ListView, Store } from './store';

export interface ImageLoaderDeps {
  listImages: (query: ListImagesQuery) => Promise<ImagePage>;
  store: Store;
  onUnauthorized: () => void;
  pageSize?: number;
}

/** Fetches list pages into the store: the first one of a filter, then one more at a time. */
export function createImageLoader({
  listImages,
  store,
  onUnauthorized,
  pageSize = 24,
}: ImageLoaderDeps) {
  async function load(cursor: string | null): Promise<void> {
    const { tag, order, q, album } = store.getState();
    const view = { tag, order, q, album };
    try {
      const page = await listImages({
        limit: pageSize,
        cursor: cursor ?? undefined,
        tag: tag ?? undefined,
        ...(order !== 'uploaded' && { order }),
        ...(q !== '' && { q }),
        ...(album !== null && { album }),
      });
      store.dispatch({ type: 'page.loaded', ...view, cursor, page });
    } catch (error) {
      if (isUnauthorized(error)) onUnauthorized();
      else store.dispatch({ type: 'page.failed', ...view, message: errorMessage(error) });
    }
  }

  /** Starts over with a view; what it leaves out stays as it is (the order, the search, the album). */
  const show = (view: Partial<ListView> = {}): Promise<void> => {
    const { tag, order, q, album } = store.getState();
    store.dispatch({ type: 'filter.changed', tag, order, q, album, ...view });
    return load(null);
  };

  return {
    show,
    /** Starts the current view over, e.g. after the live stream missed events. */
    reload: () => show(),
    loadMore(): Promise<void> {
      const state = store.getState();
      if (state.loading) return Promise.resolve();
      if (!state.loaded) return show();
      if (state.nextCursor === null) return Promise.resolve();
      store.dispatch({ type: 'more.requested' });
      return load(state.nextCursor);
    },
  };
}

export type ImageLoader = ReturnType<typeof createImageLoader>;
