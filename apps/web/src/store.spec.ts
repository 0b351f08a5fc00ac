import type { AlbumView, ImagePage, ImageView } from '@gallery/message-schema';
import { aFailure } from '../test/a-failure';
import { anImage, tagged } from '../test/an-image';
import { createStore, initialState, reduce, type GalleryAction, type GalleryState } from './store';

const ids = (state: GalleryState) => state.items.map((image) => image.id);

const page = (items: ImageView[], nextCursor: string | null = null): ImagePage => ({
  items,
  nextCursor,
});

/** A state whose first page has arrived: `items` newest first. */
function loaded(items: ImageView[], tag: string | null = null, nextCursor: string | null = null) {
  const requested = reduce(initialState(tag), { type: 'filter.changed', tag });
  return reduce(requested, {
    type: 'page.loaded',
    tag,
    cursor: null,
    page: page(items, nextCursor),
  });
}

const apply = (state: GalleryState, ...actions: GalleryAction[]) => actions.reduce(reduce, state);

describe('gallery reducer', () => {
  describe('image.created', () => {
    it('puts a new image at the top', () => {
      const [older, old] = [anImage(), anImage()];
      const state = loaded([old, older]);
      const fresh = anImage();

      const next = reduce(state, { type: 'image.created', data: fresh });

      expect(ids(next)).toEqual([fresh.id, old.id, older.id]);
    });

    it('ignores an image it already shows, such as one from the upload answer', () => {
      const fresh = anImage();
      const state = reduce(loaded([anImage()]), { type: 'image.created', data: fresh });

      const next = reduce(state, { type: 'image.created', data: fresh });

      expect(next).toBe(state);
      expect(ids(next).filter((id) => id === fresh.id)).toHaveLength(1);
    });

    it('leaves out an image that does not carry the filtered tag', () => {
      const state = loaded([anImage({ tags: tagged('cat') })], 'cat');

      const next = reduce(state, { type: 'image.created', data: anImage({ tags: tagged('dog') }) });

      expect(next).toBe(state);
    });

    it('shows an image that carries the filtered tag, whatever its case', () => {
      const state = loaded([anImage({ tags: tagged('cat') })], 'cat');
      const fresh = anImage({ tags: tagged('Cat') });

      const next = reduce(state, { type: 'image.created', data: fresh });

      expect(ids(next)[0]).toBe(fresh.id);
    });

    it('leaves an image older than the loaded pages to the page that will bring it', () => {
      const [older, newer] = [anImage(), anImage()];
      const state = loaded([newer], null, 'cursor-2');

      const next = reduce(state, { type: 'image.created', data: older });

      expect(next).toBe(state);
    });
  });

  describe('image.updated', () => {
    it('replaces the image in place', () => {
      const [c, b, a] = [anImage(), anImage(), anImage()];
      const state = loaded([a, b, c]);
      const done = {
        ...b,
        status: { ...b.status, thumbnail: 'done' as const, tags: 'done' as const },
        tags: tagged('cat'),
      };

      const next = reduce(state, { type: 'image.updated', data: done });

      expect(ids(next)).toEqual([a.id, b.id, c.id]);
      expect(next.items[1]).toBe(done);
      expect(next.items[0]).toBe(state.items[0]);
    });

    it('takes an image out of a filtered view when it loses the tag', () => {
      const cat = anImage({ tags: tagged('cat') });
      const state = loaded([cat], 'cat');

      const next = reduce(state, { type: 'image.updated', data: { ...cat, tags: [] } });

      expect(next.items).toEqual([]);
      expect(next.removed.has(cat.id)).toBe(false);
    });

    it('brings an image into a filtered view once it is tagged with the filter', () => {
      const dog = anImage({ tags: tagged('dog') });
      const untagged = anImage();
      const state = loaded([dog], 'dog');

      const next = reduce(state, {
        type: 'image.updated',
        data: { ...untagged, tags: tagged('dog') },
      });

      expect(ids(next)).toEqual([untagged.id, dog.id]);
    });
  });

  describe('image.deleted', () => {
    it('removes the image', () => {
      const [b, a] = [anImage(), anImage()];
      const state = loaded([a, b]);

      const next = reduce(state, { type: 'image.deleted', data: { id: a.id } });

      expect(ids(next)).toEqual([b.id]);
    });

    it('keeps a late page or event from bringing a deleted image back', () => {
      const [b, a] = [anImage(), anImage()];
      const state = reduce(loaded([a], null, 'cursor-2'), {
        type: 'image.deleted',
        data: { id: b.id },
      });

      const next = apply(
        state,
        { type: 'more.requested' },
        { type: 'page.loaded', tag: null, cursor: 'cursor-2', page: page([b]) },
        { type: 'image.updated', data: b },
        { type: 'image.created', data: b },
      );

      expect(ids(next)).toEqual([a.id]);
    });

    it('changes nothing for an image it does not show', () => {
      const state = loaded([anImage()]);
      const once = reduce(state, { type: 'image.deleted', data: { id: 'gone' } });

      const twice = reduce(once, { type: 'image.deleted', data: { id: 'gone' } });

      expect(ids(once)).toEqual(ids(state));
      expect(twice).toBe(once);
    });
  });

  describe('list pages', () => {
    it('appends the next page without repeating images already shown', () => {
      const [d, c, b, a] = [anImage(), anImage(), anImage(), anImage()];
      const state = apply(loaded([a, b], null, 'cursor-2'), { type: 'more.requested' });

      const next = reduce(state, {
        type: 'page.loaded',
        tag: null,
        cursor: 'cursor-2',
        page: page([b, c, d], 'cursor-3'),
      });

      expect(ids(next)).toEqual([a.id, b.id, c.id, d.id]);
      expect(next.nextCursor).toBe('cursor-3');
      expect(next.loading).toBe(false);
    });

    it('keeps the live version of an image over the one in a page', () => {
      const image = anImage();
      const live = {
        ...image,
        status: { ...image.status, thumbnail: 'done' as const, tags: 'done' as const },
      };
      const state = reduce(reduce(initialState(), { type: 'filter.changed', tag: null }), {
        type: 'image.created',
        data: live,
      });

      const next = reduce(state, {
        type: 'page.loaded',
        tag: null,
        cursor: null,
        page: page([image]),
      });

      expect(next.items).toEqual([live]);
      expect(next.loaded).toBe(true);
    });

    it('ignores the same page arriving twice', () => {
      const [b, a] = [anImage(), anImage()];
      const state = apply(loaded([a], null, 'cursor-2'), { type: 'more.requested' });
      const second: GalleryAction = {
        type: 'page.loaded',
        tag: null,
        cursor: 'cursor-2',
        page: page([b], null),
      };
      const once = reduce(state, second);

      const twice = reduce(once, second);

      expect(twice).toBe(once);
      expect(ids(twice)).toEqual([a.id, b.id]);
    });

    it('ignores a page asked for under a filter that has changed since', () => {
      const state = reduce(loaded([anImage()]), { type: 'filter.changed', tag: 'cat' });

      const next = reduce(state, {
        type: 'page.loaded',
        tag: null,
        cursor: null,
        page: page([anImage()]),
      });

      expect(next).toBe(state);
      expect(next.items).toEqual([]);
    });

    it('starts over, empty and loading, when the filter changes', () => {
      const state = loaded([anImage()], null, 'cursor-2');

      const next = reduce(state, { type: 'filter.changed', tag: 'cat' });

      expect(next).toMatchObject({ tag: 'cat', items: [], nextCursor: null, loaded: false });
      expect(next.loading).toBe(true);
    });

    it('keeps the reason a page failed until the next attempt', () => {
      const state = apply(loaded([anImage()], null, 'cursor-2'), { type: 'more.requested' });

      const failed = reduce(state, { type: 'page.failed', tag: null, message: 'offline' });
      const retried = reduce(failed, { type: 'more.requested' });

      expect(failed).toMatchObject({ loading: false, error: 'offline' });
      expect(retried).toMatchObject({ loading: true, error: null });
    });
  });
});

describe('gallery reducer and the dead letters', () => {
  it('holds the list of dead letters beside the images', () => {
    const state = loaded([anImage()]);
    const items = [aFailure()];

    const next = reduce(state, { type: 'failures.loaded', items });

    expect(next.failures.items).toBe(items);
    expect(next.items).toBe(state.items);
  });

  it('keeps the dead letters when the filter changes', () => {
    const state = reduce(loaded([anImage()]), { type: 'failures.loaded', items: [aFailure()] });

    const next = reduce(state, { type: 'filter.changed', tag: 'cat' });

    expect(next.failures).toBe(state.failures);
  });

  it('returns the same state for a failures action that changes nothing', () => {
    const state = loaded([anImage()]);

    expect(reduce(state, { type: 'redrive.dismissed' })).toBe(state);
  });
});

describe('store', () => {
  it('tells listeners about changes and only about changes', () => {
    const store = createStore();
    const seen: GalleryState[] = [];
    store.subscribe((state) => seen.push(state));
    const image = anImage();

    store.dispatch({ type: 'image.created', data: image });
    store.dispatch({ type: 'image.created', data: image });

    expect(seen).toHaveLength(1);
    expect(store.getState().items).toEqual([image]);
  });

  it('stops telling a listener once it unsubscribes', () => {
    const store = createStore();
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);

    unsubscribe();
    store.dispatch({ type: 'image.created', data: anImage() });

    expect(calls).toBe(0);
  });
});

describe('the list in order of the date taken', () => {
  const takenAt = (image: ReturnType<typeof anImage>, when: string | undefined) => ({
    ...image,
    metadata: when ? { takenAt: when } : {},
  });
  const inTakenOrder = (items: ReturnType<typeof anImage>[], nextCursor: string | null = null) =>
    reduce(
      reduce(initialState(null, 'taken'), { type: 'filter.changed', tag: null, order: 'taken' }),
      {
        type: 'page.loaded',
        tag: null,
        order: 'taken',
        cursor: null,
        page: { items, nextCursor },
      },
    );

  it('puts a new upload, whose date is not read yet, after the dated ones', () => {
    const dated = takenAt(anImage(), '2024-06-01T14:03:22');
    const state = inTakenOrder([dated]);

    const next = reduce(state, { type: 'image.created', data: anImage() });

    expect(next.items.map((item) => item.id)).toEqual([dated.id, next.items[1].id]);
  });

  it('moves an image to its place once its date taken is read', () => {
    const newer = takenAt(anImage(), '2024-06-01T14:03:22');
    const older = takenAt(anImage(), '2019-01-01T00:00:00');
    const fresh = anImage();
    const state = inTakenOrder([newer, older, fresh]);

    const next = reduce(state, {
      type: 'image.updated',
      data: takenAt(fresh, '2020-05-05T10:00:00'),
    });

    expect(next.items.map((item) => item.id)).toEqual([newer.id, fresh.id, older.id]);
  });

  it('drops a page loaded for the other order', () => {
    const state = inTakenOrder([]);
    const page = { items: [anImage()], nextCursor: null };

    const next = reduce(reduce(state, { type: 'filter.changed', tag: null, order: 'taken' }), {
      type: 'page.loaded',
      tag: null,
      cursor: null,
      page,
    });

    expect(next.items).toEqual([]);
  });
});

describe('albums and searches', () => {
  const albumId = '0b6f3c2e-1d4a-4c1e-9f0a-2b3c4d5e6f70';
  const anAlbum = (overrides: Partial<AlbumView> = {}): AlbumView => ({
    id: albumId,
    name: 'Summer',
    description: '',
    addedBy: { id: '1b6f3c2e-1d4a-4c1e-9f0a-2b3c4d5e6f70', username: 'mia' },
    imageCount: 0,
    cover: null,
    coverChosen: false,
    createdAt: '2026-03-01T12:00:00.000Z',
    updatedAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  });
  const inAlbum = (image: ImageView): ImageView => ({ ...image, albums: [albumId] });
  const albumView = (items: ImageView[]): GalleryState =>
    apply(initialState(null, 'uploaded', { album: albumId }), {
      type: 'page.loaded',
      tag: null,
      album: albumId,
      cursor: null,
      page: { items, nextCursor: null },
    });

  it('shows an image on an album page once it joins the album, and drops it when it leaves', () => {
    const image = anImage();
    let state = albumView([]);

    state = reduce(state, { type: 'image.created', data: image });
    expect(ids(state)).toEqual([]);
    state = reduce(state, { type: 'image.updated', data: inAlbum(image) });
    expect(ids(state)).toEqual([image.id]);
    state = reduce(state, { type: 'image.updated', data: { ...image, albums: [] } });
    expect(ids(state)).toEqual([]);
  });

  it('keeps a search to what the server found: a new upload waits for the next search', () => {
    const found = anImage({ name: 'Café' });
    const state = apply(initialState(null, 'uploaded', { q: 'cafe' }), {
      type: 'page.loaded',
      tag: null,
      q: 'cafe',
      cursor: null,
      page: { items: [found], nextCursor: null },
    });

    const next = apply(
      state,
      { type: 'image.created', data: anImage({ name: 'Café again' }) },
      { type: 'image.updated', data: { ...found, name: 'Café crème' } },
    );

    expect(next.items.map((image) => image.name)).toEqual(['Café crème']);
  });

  it('drops a page loaded for another album or search', () => {
    const state = albumView([]);

    const next = reduce(state, {
      type: 'page.loaded',
      tag: null,
      cursor: null,
      page: { items: [anImage()], nextCursor: null },
    });

    expect(next).toBe(state);
  });

  it('keeps the albums by name through their events', () => {
    const summer = anAlbum();
    const autumn = anAlbum({ id: '2b6f3c2e-1d4a-4c1e-9f0a-2b3c4d5e6f70', name: 'autumn' });
    let state = apply(initialState(), { type: 'albums.loaded', albums: [summer] });

    state = apply(
      state,
      { type: 'album.created', data: autumn },
      { type: 'album.updated', data: { ...summer, imageCount: 3 } },
    );
    expect(state.albums.map((album) => [album.name, album.imageCount])).toEqual([
      ['autumn', 0],
      ['Summer', 3],
    ]);
    state = reduce(state, { type: 'album.deleted', data: { id: autumn.id } });
    expect(state.albums.map((album) => album.name)).toEqual(['Summer']);
  });

  it('gives an album the thumbnail its cover image has just been given', () => {
    const image = anImage();
    const state = apply(initialState(), {
      type: 'albums.loaded',
      albums: [anAlbum({ cover: { imageId: image.id, thumbnailUrl: null } })],
    });
    const url = `/api/images/${image.id}/thumbnails/256.webp`;

    const next = reduce(state, {
      type: 'image.updated',
      data: { ...image, thumbnails: [{ width: 256, height: 192, format: 'webp', url }] },
    });

    expect(next.albums[0].cover).toEqual({ imageId: image.id, thumbnailUrl: url });
  });
});
