export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 5_000 };

/** Exponential backoff with full jitter: a random wait up to base × 2^attempt, capped. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
