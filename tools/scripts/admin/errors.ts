/** Base error of the operator commands: the command stops and says why. */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The command line or the environment is not what the command needs. */
export class UsageError extends CommandError {
  override name = 'UsageError';
}

/** Exit codes, as the commands' help states them. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The most telling message of an error: fetch hides a refused connection in its cause. */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  return cause instanceof Error && error.message === 'fetch failed' ? cause.message : error.message;
}
