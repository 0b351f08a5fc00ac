import type { GalleryEvent } from '@gallery/message-schema';

export type GalleryEventListener = (event: GalleryEvent) => void;

/** In-process fan-out of gallery events to the open event streams. */
export interface EventBus {
  publish(event: GalleryEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: GalleryEventListener): () => void;
  listenerCount(): number;
}

/**
 * A listener that throws is reported and the others still run: a broken stream must not
 * fail the request that changed an image.
 */
export function createEventBus(
  onListenerError: (error: unknown) => void = () => undefined,
): EventBus {
  const listeners = new Set<GalleryEventListener>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
  };
}
