import type { OutgoingMessage, Publisher } from '@gallery/messaging';

export interface CollectingPublisher extends Publisher {
  messages: OutgoingMessage[];
  /** While set, publish and probe reject with this error. */
  failWith: Error | undefined;
  /** Resolves once `count` messages have been accepted in all. */
  received(count: number): Promise<OutgoingMessage[]>;
}

/** The publisher port as a list: what was accepted, in order. */
export function createCollectingPublisher(): CollectingPublisher {
  const waiters: Array<{ count: number; resolve(messages: OutgoingMessage[]): void }> = [];
  const publisher: CollectingPublisher = {
    messages: [],
    failWith: undefined,
    async publish(message) {
      if (publisher.failWith) throw publisher.failWith;
      publisher.messages.push(message);
      for (const waiter of [...waiters]) {
        if (publisher.messages.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(publisher.messages);
        }
      }
    },
    async probe() {
      if (publisher.failWith) throw publisher.failWith;
    },
    received(count) {
      if (publisher.messages.length >= count) return Promise.resolve(publisher.messages);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
  return publisher;
}
