/** A signed callback whose content the API cannot accept (it would never become valid). */
export class InvalidCallbackError extends Error {
  override name = 'InvalidCallbackError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A callback without a valid signature from the processor the route belongs to. */
export class UnauthenticatedCallbackError extends Error {
  override name = 'UnauthenticatedCallbackError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
