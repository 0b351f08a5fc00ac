/** A dependency's check: resolves when it can serve, rejects saying why not. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  status: 'ready' | 'not ready';
  /** Per check: `ok`, or why not in a few words. */
  checks: Record<string, string>;
}

export interface Readiness {
  /** Whether the instance can serve, by every check; at most `cacheMs` old. */
  report(): Promise<ReadinessReport>;
  /** From now on every report says not ready, at once: the instance is shutting down. */
  drain(): void;
}

export interface ReadinessOptions {
  /** Run in parallel, by name. */
  checks: Record<string, ReadinessCheck>;
  /** A check that has not answered by then fails: a hung dependency must not hang the probe. */
  timeoutMs?: number;
  /** How long a report is served again: a flood of probes costs one round per period. */
  cacheMs?: number;
  /** The clock the cache is measured on. */
  now?: () => number;
}

/** What a passing check reports. */
const OK = 'ok';
const DEFAULT_CHECK_TIMEOUT_MS = 2_000;
const DEFAULT_REPORT_CACHE_MS = 1_000;
/** Reasons are for a load balancer's log and an operator's eye: one line, short. */
const MAX_REASON_LENGTH = 160;

const DRAINING: ReadinessReport = { status: 'not ready', checks: { draining: 'shutting down' } };

/** A check's failure in words it chose itself, for the report. */
export class CheckFailedError extends Error {
  override name = 'CheckFailedError';
}

/**
 * Runs the checks on demand. Concurrent callers share one round, and its report is served
 * again for `cacheMs`; a check still running from an earlier round (a hung dependency) is
 * waited on again rather than called again, so it never has more than one call pending.
 */
export function createReadiness({
  checks,
  timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
  cacheMs = DEFAULT_REPORT_CACHE_MS,
  now = Date.now,
}: ReadinessOptions): Readiness {
  let draining = false;
  let round: Promise<ReadinessReport> | undefined;
  let latest: { report: ReadinessReport; at: number } | undefined;
  const pending = new Map<string, Promise<void>>();

  function callOnce(name: string, check: ReadinessCheck): Promise<void> {
    let call = pending.get(name);
    if (!call) {
      call = Promise.resolve()
        .then(check)
        .finally(() => pending.delete(name));
      pending.set(name, call);
    }
    return call;
  }

  async function runRound(): Promise<ReadinessReport> {
    const outcomes = await Promise.all(
      Object.entries(checks).map(
        async ([name, check]) => [name, await outcomeOf(callOnce(name, check), timeoutMs)] as const,
      ),
    );
    const ready = outcomes.every(([, outcome]) => outcome === OK);
    return { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(outcomes) };
  }

  return {
    async report() {
      if (draining) return DRAINING;
      if (latest && now() - latest.at < cacheMs) return latest.report;
      round ??= runRound()
        .then((report) => {
          latest = { report, at: now() };
          return report;
        })
        .finally(() => {
          round = undefined;
        });
      return round;
    },
    drain() {
      draining = true;
    },
  };
}

/** `ok`, the reason the check failed, or that it did not answer in time. */
async function outcomeOf(call: Promise<void>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([call.then(() => OK, reasonOf), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** The message's first line, cut short: a report never carries a stack trace or a dump. */
function reasonOf(error: unknown): string {
  // Read by shape: an error made in another realm (Node's own, seen from a VM context as
  // under Jest) is no `instanceof Error`.
  const { message, name } = (error ?? {}) as { message?: unknown; name?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const line = text.split('\n', 1)[0].trim() || (typeof name === 'string' ? name : 'failed');
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…` : line;
}
