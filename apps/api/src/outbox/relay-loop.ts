import { publishPendingEvents, type RelayDeps } from './relay';

export interface RelayLoopOptions extends RelayDeps {
  logger: {
    info(object: object, message: string): void;
    warn(object: object, message: string): void;
  };
  intervalMs?: number;
  maxBackoffMs?: number;
}

export interface RelayLoop {
  /** Asks for a round now (after an upload), unless the loop is backing off. */
  nudge(): void;
  /** Resolves once the round in progress, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Runs publishPendingEvents every `intervalMs` and whenever nudged; after a failure it
 * waits twice as long each time, up to `maxBackoffMs`, then back to the interval once a
 * round succeeds.
 */
export function startOutboxRelay(options: RelayLoopOptions): RelayLoop {
  const intervalMs = options.intervalMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  let stopped = false;
  let backingOff = false;
  let wake: (() => void) | undefined;
  let nudged = false;

  // One line per event, with the ids that tie it to its upload's and its workers' lines.
  function logPublished({ type, payload }: { type: string; payload: unknown }) {
    options.logger.info({ eventType: type, ...eventLogFields(payload) }, 'event published');
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function loop() {
    let delay = intervalMs;
    while (!stopped) {
      nudged = false;
      let more = false;
      try {
        const round = await publishPendingEvents({ ...options, onPublished: logPublished });
        if (round.failure !== undefined) throw round.failure;
        if (round.published > 0)
          options.logger.info({ published: round.published }, 'events published');
        more = round.more;
        delay = intervalMs;
        backingOff = false;
      } catch (error) {
        delay = backingOff ? Math.min(delay * 2, maxBackoffMs) : intervalMs;
        backingOff = true;
        options.logger.warn({ err: error, retryInMs: delay }, 'publishing events failed');
      }
      if (stopped) break;
      if (!more && !nudged) await sleep(delay);
    }
  }

  const running = loop();
  return {
    nudge() {
      if (backingOff) return;
      nudged = true;
      wake?.();
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}

/** The ids an event carries that its log line should show: whichever of them it has. */
function eventLogFields(payload: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof payload !== 'object' || payload === null) return fields;
  for (const name of ['eventId', 'imageId', 'correlationId'] as const) {
    const value = (payload as Record<string, unknown>)[name];
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}
