import type { ImagePage } from '@gallery/message-schema';
import type { ListImagesQuery } from '@gallery/api-client';
import { errorMessage, isUnauthorized } from './api';
import type { ListOrder, Store } from './store';

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
    const { tag, order } = store.getState();
    try {
      const page = await listImages({
        limit: pageSize,
        cursor: cursor ?? undefined,
        tag: tag ?? undefined,
        ...(order !== 'uploaded' && { order }),
      });
      store.dispatch({ type: 'page.loaded', tag, order, cursor, page });
    } catch (error) {
      if (isUnauthorized(error)) onUnauthorized();
      else store.dispatch({ type: 'page.failed', tag, order, message: errorMessage(error) });
    }
  }

  /** Starts over with a filter, in an order (the current one unless given). */
  const show = (tag: string | null, order: ListOrder = store.getState().order): Promise<void> => {
    store.dispatch({ type: 'filter.changed', tag, order });
    return load(null);
  };

  return {
    show,
    /** Starts the current filter over, e.g. after the live stream missed events. */
    reload: () => show(store.getState().tag),
    loadMore(): Promise<void> {
      const state = store.getState();
      if (state.loading) return Promise.resolve();
      if (!state.loaded) return show(state.tag);
      if (state.nextCursor === null) return Promise.resolve();
      store.dispatch({ type: 'more.requested' });
      return load(state.nextCursor);
    },
  };
}

export type ImageLoader = ReturnType<typeof createImageLoader>;
