import { ApiClientError, type ListImagesQuery } from '@gallery/api-client';
import type { ImagePage } from '@gallery/message-schema';
import { anImage } from '../test/an-image';
import { createImageLoader } from './image-loader';
import { createStore } from './store';

/** An API stand-in that answers list requests from a fixed set of pages, keyed by cursor. */
function fakeList(pages: Record<string, ImagePage>, failWith?: unknown) {
  const queries: ListImagesQuery[] = [];
  const listImages = async (query: ListImagesQuery) => {
    queries.push(query);
    if (failWith) throw failWith;
    return pages[query.cursor ?? 'first'];
  };
  return { listImages, queries };
}

describe('image loader', () => {
  it('loads the first page of a filter, then the next one from its cursor', async () => {
    const [b, a] = [anImage(), anImage()];
    const api = fakeList({
      first: { items: [a], nextCursor: 'c2' },
      c2: { items: [b], nextCursor: null },
    });
    const store = createStore();
    const loader = createImageLoader({
      ...api,
      store,
      onUnauthorized: () => undefined,
      pageSize: 1,
    });

    await loader.show({ tag: 'cat' });
    await loader.loadMore();
    await loader.loadMore();

    expect(api.queries).toEqual([
      { limit: 1, cursor: undefined, tag: 'cat' },
      { limit: 1, cursor: 'c2', tag: 'cat' },
    ]);
    expect(store.getState().items).toEqual([a, b]);
  });

  it('keeps the reason a page failed', async () => {
    const api = fakeList({}, new ApiClientError('database down', 503, true));
    const store = createStore();
    const loader = createImageLoader({ ...api, store, onUnauthorized: () => undefined });

    await loader.show({ tag: null });

    expect(store.getState()).toMatchObject({ error: 'database down', loading: false });
  });

  it('sends the user to sign in when the session has ended', async () => {
    const api = fakeList({}, new ApiClientError('not signed in', 401, true));
    let unauthorized = 0;
    const loader = createImageLoader({
      ...api,
      store: createStore(),
      onUnauthorized: () => unauthorized++,
    });

    await loader.show({ tag: null });

    expect(unauthorized).toBe(1);
  });
});
