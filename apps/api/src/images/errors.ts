/** Base error of image handling: the request cannot succeed as it is. */
export class ImageRequestError extends Error {
  override name = 'ImageRequestError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The form lacks a field, or a field is not acceptable (a missing file, a blank name). */
export class InvalidUploadError extends ImageRequestError {
  override name = 'InvalidUploadError';
}

export class EmptyUploadError extends ImageRequestError {
  override name = 'EmptyUploadError';
}

export class UploadTooLargeError extends ImageRequestError {
  override name = 'UploadTooLargeError';
}

/** The bytes are not one of the allowed image formats, whatever the client claims. */
export class UnsupportedImageError extends ImageRequestError {
  override name = 'UnsupportedImageError';
}

/** A change request that would change nothing. */
export class EmptyPatchError extends ImageRequestError {
  override name = 'EmptyPatchError';
  constructor() {
    super('nothing to change');
  }
}

export class InvalidCursorError extends ImageRequestError {
  override name = 'InvalidCursorError';
}

export class ImageNotFoundError extends ImageRequestError {
  override name = 'ImageNotFoundError';
  constructor(readonly imageId: string) {
    super(`no image ${imageId}`);
  }
}

/** A Range header this server cannot satisfy for the object. */
export class RangeNotSatisfiableError extends ImageRequestError {
  override name = 'RangeNotSatisfiableError';
  constructor(readonly size: number) {
    super('range not satisfiable');
  }
}
