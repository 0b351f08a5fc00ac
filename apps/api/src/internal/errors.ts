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

/** A callback for an image that does not exist, or no longer: the worker has nothing to do. */
export class CallbackImageGoneError extends Error {
  override name = 'CallbackImageGoneError';
  constructor(
    readonly imageId: string,
    options?: { cause?: unknown },
  ) {
    super('image not found or deleted', options);
  }
}
