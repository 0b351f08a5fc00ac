/** Base error of this package: a message that can never be processed, whatever the retries. */
export class InvalidMessageError extends Error {
  override name = 'InvalidMessageError';
  readonly permanent = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A well-formed event of a version this code does not know. */
export class UnknownVersionError extends InvalidMessageError {
  override name = 'UnknownVersionError';
}
