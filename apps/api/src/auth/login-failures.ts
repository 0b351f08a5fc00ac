export interface LoginFailures {
  /** Seconds until the user name may be tried again, or 0 when it may be tried now. */
  retryAfterSeconds(username: string): number;
  recordFailure(username: string): void;
}

/**
 * A user name's failed logins in fixed windows, in memory. The rate-limit plugin keys on
 * the request before its body is parsed, so it cannot count per user name; this does.
 * Bounded: a flood of made-up names evicts the oldest entries rather than grow the map.
 */
export function createLoginFailures({
  max,
  windowMs,
  capacity = 10_000,
  now = Date.now,
}: {
  max: number;
  windowMs: number;
  capacity?: number;
  now?: () => number;
}): LoginFailures {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const current = (username: string) => {
    const entry = windows.get(username);
    if (entry && entry.resetAt <= now()) windows.delete(username);
    return windows.get(username);
  };
  return {
    retryAfterSeconds: (username) => {
      const entry = current(username);
      return entry && entry.count >= max ? Math.ceil((entry.resetAt - now()) / 1000) : 0;
    },
    recordFailure: (username) => {
      const entry = current(username);
      if (entry) {
        entry.count += 1;
        return;
      }
      if (windows.size >= capacity) windows.delete(windows.keys().next().value as string);
      windows.set(username, { count: 1, resetAt: now() + windowMs });
    },
  };
}
