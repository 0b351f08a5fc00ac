/** Base error of this package. */
export class StorageError extends Error {
  override name = 'StorageError';
}

/** Reading an object that does not exist: retrying will not make it appear. */
export class ObjectNotFoundError extends StorageError {
  override name = 'ObjectNotFoundError';
  readonly permanent = true;
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`no object at ${JSON.stringify(key)}`, options);
  }
}

/** A key or prefix outside the allowed alphabet, or one that could leave the store's root. */
export class InvalidKeyError extends StorageError {
  override name = 'InvalidKeyError';
  readonly permanent = true;
  constructor(readonly key: string) {
    super(`not an object key: ${JSON.stringify(key)}`);
  }
}

/** A byte range that is malformed or starts past the end of the object. */
export class InvalidRangeError extends StorageError {
  override name = 'InvalidRangeError';
  readonly permanent = true;
}
