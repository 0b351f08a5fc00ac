/** Base error of this package. */
export class MessagingError extends Error {
  override name = 'MessagingError';
}

/**
 * A failure no retry can fix (a corrupt image, an unknown event version): the record goes
 * to the dead-letter queue at once, with this message as its reason.
 */
export class PermanentError extends MessagingError {
  override name = 'PermanentError';
  readonly permanent = true;
}

/** True for any error that says it is permanent (`permanent: true`), whatever its package. */
export function isPermanent(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { permanent?: unknown }).permanent === true
  );
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** A receipt handle this queue never handed out (malformed, or from another kind of queue). */
export class InvalidReceiptHandleError extends MessagingError {
  override name = 'InvalidReceiptHandleError';
  readonly permanent = true;
}

/** A message that was not accepted by every subscriber queue; publishing it again is safe. */
export class PublishError extends MessagingError {
  override name = 'PublishError';
}
