import type { GalleryEvent } from '@gallery/message-schema';
import { anImage } from '../test/an-image';
import { connectLive, parseGalleryEvent, type EventSourceLike, type LiveStatus } from './live';

/** A stand-in EventSource the test drives by hand. */
class FakeSource implements EventSourceLike {
  readyState = 0;
  closed = false;
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data = '', readyState = this.readyState, lastEventId = ''): void {
    this.readyState = readyState;
    for (const listener of this.listeners.get(type) ?? []) {
      listener({ data, lastEventId } as MessageEvent<string>);
    }
  }
}

function connect() {
  const sources: FakeSource[] = [];
  const events: GalleryEvent[] = [];
  const statuses: LiveStatus[] = [];
  const scheduled: (() => void)[] = [];
  let resets = 0;
  const live = connectLive({
    url: '/api/events',
    onEvent: (event) => events.push(event),
    onStatus: (status) => statuses.push(status),
    onReset: () => resets++,
    createSource: (url) => {
      const source = new FakeSource(url);
      sources.push(source);
      return source;
    },
    schedule: (run) => scheduled.push(run),
    cancel: () => undefined,
  });
  return { live, sources, events, statuses, scheduled, resets: () => resets };
}

describe('parseGalleryEvent', () => {
  it('reads an image from image.created and image.updated', () => {
    const image = anImage();

    expect(parseGalleryEvent('image.created', JSON.stringify(image))).toEqual({
      type: 'image.created',
      data: image,
    });
    expect(parseGalleryEvent('image.updated', JSON.stringify(image))?.data).toEqual(image);
  });

  it('reads an album from album.created and album.updated, and the id from album.deleted', () => {
    const album = {
      id: '0b6f3c2e-1d4a-4c1e-9f0a-2b3c4d5e6f70',
      name: 'Summer',
      description: '',
      addedBy: { id: '1b6f3c2e-1d4a-4c1e-9f0a-2b3c4d5e6f70', username: 'mia' },
      imageCount: 2,
      cover: null,
      coverChosen: false,
      createdAt: '2026-03-01T12:00:00.000Z',
      updatedAt: '2026-03-01T12:00:00.000Z',
    };

    expect(parseGalleryEvent('album.updated', JSON.stringify(album))).toEqual({
      type: 'album.updated',
      data: album,
    });
    expect(parseGalleryEvent('album.created', '{"id":"x"}')).toBeNull();
    expect(parseGalleryEvent('album.deleted', '{"id":"abc"}')).toEqual({
      type: 'album.deleted',
      data: { id: 'abc' },
    });
  });

  it('reads the id from image.deleted', () => {
    expect(parseGalleryEvent('image.deleted', '{"id":"abc"}')).toEqual({
      type: 'image.deleted',
      data: { id: 'abc' },
    });
  });

  it.each([
    ['data that is not JSON', 'image.created', '{oops'],
    ['an image missing fields', 'image.updated', '{"id":"x"}'],
    ['a deletion without an id', 'image.deleted', '{}'],
    ['an unknown event', 'image.renamed', '{"id":"x"}'],
  ])('drops %s', (_, type, data) => {
    expect(parseGalleryEvent(type, data)).toBeNull();
  });
});

describe('connectLive', () => {
  it('passes each valid event on, and only those', () => {
    const { sources, events } = connect();
    const image = anImage();

    sources[0].emit('image.created', JSON.stringify(image));
    sources[0].emit('image.updated', 'not json');
    sources[0].emit('image.deleted', JSON.stringify({ id: image.id }));

    expect(sources[0].url).toBe('/api/events');
    expect(events).toEqual([
      { type: 'image.created', data: image },
      { type: 'image.deleted', data: { id: image.id } },
    ]);
  });

  it('lets EventSource reconnect by itself and replay what was missed, without a reload', () => {
    const { sources, statuses, scheduled, resets } = connect();
    sources[0].emit('open', '', 1);

    sources[0].emit('error', '', 0);
    sources[0].emit('open', '', 1);

    expect(sources).toHaveLength(1);
    expect(scheduled).toHaveLength(0);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    expect(resets()).toBe(0);
  });

  it('asks for a reload when the server says reset', () => {
    const { sources, events, resets } = connect();
    sources[0].emit('open', '', 1);

    sources[0].emit('reset', '{}', 1, '41');

    expect(resets()).toBe(1);
    expect(events).toEqual([]);
  });

  it('opens a new EventSource later, after the last event seen, when the old one gave up', () => {
    const { sources, scheduled, resets } = connect();
    sources[0].emit('open', '', 1);
    sources[0].emit('image.deleted', '{"id":"abc"}', 1, '7');
    sources[0].emit('error', '', 2);

    scheduled[0]();
    sources[1].emit('open', '', 1);

    expect(sources.map((source) => source.url)).toEqual([
      '/api/events',
      '/api/events?lastEventId=7',
    ]);
    expect(resets()).toBe(0);
  });

  it('asks for a reload when a new EventSource has no event to replay from', () => {
    const { sources, scheduled, resets } = connect();
    sources[0].emit('open', '', 1);
    sources[0].emit('error', '', 2);

    scheduled[0]();
    sources[1].emit('open', '', 1);
    sources[1].emit('error', '', 0);
    sources[1].emit('open', '', 1);

    expect(sources[1].url).toBe('/api/events');
    expect(resets()).toBe(1);
  });

  it('does not ask for a reload on the first connection', () => {
    const { sources, resets } = connect();

    sources[0].emit('open', '', 1);

    expect(resets()).toBe(0);
  });

  it('closes its EventSource when closed', () => {
    const { live, sources } = connect();

    live.close();

    expect(sources[0].closed).toBe(true);
  });
});
