import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { countLoginAttempt } from './login-attempts';

/**
 * A store for @fastify/rate-limit that counts in `login_attempts`, so that every instance
 * on the database shares one count per key. The plugin builds its stores itself from
 * options alone: the database reaches the class through this closure.
 */
export function loginAttemptStore(db: Kysely<Database>): FastifyRateLimitStoreCtor {
  return class LoginAttemptStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      countLoginAttempt(db, key, timeWindow).then(
        ({ count, retryAfterMs }) => callback(null, { current: count, ttl: retryAfterMs }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    /** Holds no per-route state: the key generator puts what tells routes apart in the key. */
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
