/** One Server-Sent Event as a client sees it. */
export interface StreamEvent {
  id?: string;
  event?: string;
  data?: string;
}

/**
 * An open `GET /api/events` read as EventSource would: fields collected per event (an `id:`
 * without data counts too: EventSource keeps it as the id to reconnect with).
 */
export interface EventStream {
  status: number;
  headers: Headers;
  /** Every event so far, comments left out. */
  events: StreamEvent[];
  /** The raw text so far. */
  text(): string;
  /** Waits until `condition` holds for the events so far; fails if the stream ends first. */
  until(condition: (events: StreamEvent[]) => boolean): Promise<StreamEvent[]>;
  /** Resolves once the server has ended the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openEventStream(
  url: string,
  headers: Record<string, string>,
): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const events: StreamEvent[] = [];
  let raw = '';
  let pending = '';
  let finished = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  const parse = () => {
    let end = pending.indexOf('\n\n');
    while (end >= 0) {
      const block = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const event: StreamEvent = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const [field, ...rest] = line.split(': ');
        if (field === 'id' || field === 'event' || field === 'data') event[field] = rest.join(': ');
      }
      if (Object.keys(event).length > 0) events.push(event);
      end = pending.indexOf('\n\n');
    }
  };
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        const text = decoder.decode(chunk, { stream: true });
        raw += text;
        pending += text;
        parse();
        wake();
      }
    } catch {
      // aborted by close()
    } finally {
      finished = true;
      wake();
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    events,
    text: () => raw,
    async until(condition) {
      while (!condition(events)) {
        if (finished) throw new Error(`the stream ended first; it sent:\n${raw}`);
        await new Promise<void>((resolve) => {
          const waiter = () => {
            waiters.delete(waiter);
            resolve();
          };
          waiters.add(waiter);
        });
      }
      return events;
    },
    ended,
    close: () => controller.abort(),
  };
}

/** The events that carry data, as `id type` lines, for comparing whole sequences. */
export function changesOf(events: StreamEvent[]): string[] {
  return events.filter((event) => event.data !== undefined).map((e) => `${e.id} ${e.event}`);
}
