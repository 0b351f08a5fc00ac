import { albumView, imageView, type GalleryEvent } from '@gallery/message-schema';

export const LIVE_EVENTS = [
  'image.created',
  'image.updated',
  'image.deleted',
  'album.created',
  'album.updated',
  'album.deleted',
] as const;

/** Turns one server-sent event into a GalleryEvent, or null when its data is not what it should be. */
export function parseGalleryEvent(type: string, data: string): GalleryEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  if (type === 'image.deleted' || type === 'album.deleted') {
    const id = (json as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id !== '' ? { type, data: { id } } : null;
  }
  if (type === 'album.created' || type === 'album.updated') {
    const album = albumView.safeParse(json);
    return album.success ? { type, data: album.data } : null;
  }
  if (type !== 'image.created' && type !== 'image.updated') return null;
  const image = imageView.safeParse(json);
  return image.success ? { type, data: image.data } : null;
}

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/** The part of EventSource used here, so tests can hand in a stand-in. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface LiveDeps {
  url?: string;
  onEvent: (event: GalleryEvent) => void;
  onStatus?: (status: LiveStatus) => void;
  /**
   * Called when changes were missed and cannot be replayed: the server said `reset` (the
   * client was away longer than the server keeps changes), or a new stream had to be opened
   * before any change had arrived. The list should be loaded again.
   */
  onReset?: () => void;
  createSource?: (url: string) => EventSourceLike;
  schedule?: (run: () => void, ms: number) => unknown;
  cancel?: (handle: unknown) => void;
  retryMs?: number;
}

const CLOSED = 2;

/**
 * Keeps one EventSource on the live stream. EventSource reconnects by itself after a
 * dropped connection and sends the last event's id, so the server replays what was missed;
 * it gives up only when the server answers with an error, and then a fresh one is opened
 * after `retryMs`, asking for the changes after the last event seen.
 */
export function connectLive(deps: LiveDeps): { close(): void } {
  const {
    url = '/api/events',
    createSource = (address: string) => new EventSource(address),
    schedule = (run: () => void, ms: number) => setTimeout(run, ms),
    cancel = (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    retryMs = 5_000,
  } = deps;
  let source: EventSourceLike | null = null;
  let retry: unknown = null;
  let broken = false;
  let closed = false;
  let lastEventId = '';

  function open(): void {
    retry = null;
    deps.onStatus?.(broken ? 'reconnecting' : 'connecting');
    // A new stream after a break, with no event to replay from: what happened meanwhile is
    // unknown. (The same EventSource reconnecting sends the id the server gave it.)
    let unknownGap = broken && lastEventId === '';
    const current = createSource(
      lastEventId === '' ? url : `${url}?lastEventId=${encodeURIComponent(lastEventId)}`,
    );
    source = current;
    current.addEventListener('open', () => {
      deps.onStatus?.('live');
      if (unknownGap) deps.onReset?.();
      unknownGap = false;
      broken = false;
    });
    current.addEventListener('error', () => {
      broken = true;
      deps.onStatus?.('reconnecting');
      if (current.readyState === CLOSED && !closed && retry === null) {
        retry = schedule(open, retryMs);
      }
    });
    for (const type of LIVE_EVENTS) {
      current.addEventListener(type, (event) => {
        if (event.lastEventId) lastEventId = event.lastEventId;
        const parsed = parseGalleryEvent(type, event.data);
        if (parsed) deps.onEvent(parsed);
      });
    }
    current.addEventListener('reset', (event) => {
      if (event.lastEventId) lastEventId = event.lastEventId;
      deps.onReset?.();
    });
  }

  open();
  return {
    close() {
      closed = true;
      if (retry !== null) cancel(retry);
      source?.close();
    },
  };
}
