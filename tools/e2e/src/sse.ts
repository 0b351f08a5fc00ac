export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Reads `GET /api/events` as a logged-in client and keeps every event it receives, so a
 * test can wait for the one it expects. With `lastEventId` it resumes as a reconnecting
 * EventSource does; `lastId()` is the id EventSource would send next (an `id:` without data
 * counts too).
 */
export async function openEventStream(
  baseUrl: string,
  cookie: string,
  { lastEventId }: { lastEventId?: string } = {},
) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/events`, {
    headers: {
      cookie,
      accept: 'text/event-stream',
      ...(lastEventId !== undefined && { 'last-event-id': lastEventId }),
    },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body)
    throw new Error(`event stream: ${response.status}`);
  const events: ServerSentEvent[] = [];
  const waiters = new Set<() => void>();
  let lastId = lastEventId ?? '';

  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: ServerSentEvent = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          const [field, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (field === 'event') event.event = value;
          else if (field === 'data') event.data += (event.data ? '\n' : '') + value;
          else if (field === 'id') event.id = lastId = value;
        }
        if (event.data) events.push(event);
        waiters.forEach((wake) => wake());
      }
    }
  })().catch(() => undefined);

  return {
    events,
    lastId: () => lastId,
    /** Resolves when the server ends the stream or the connection breaks. */
    ended,
    /** Resolves with the first event, past or future, that matches. */
    waitFor(
      match: (event: ServerSentEvent) => boolean,
      timeoutMs = 60_000,
    ): Promise<ServerSentEvent> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching event within ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
