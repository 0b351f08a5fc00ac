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

/** HEIC/HEIF: an image, but one the prebuilt image decoder cannot read (it has no HEVC). */
export class HeicNotSupportedError extends UnsupportedImageError {
  override name = 'HeicNotSupportedError';
}

/** Bytes of an allowed format whose structure shows they cannot be stored as one usable image. */
export class MalformedImageError extends ImageRequestError {
  override name = 'MalformedImageError';
}

/** The header declares more pixels than the workers will decode (a decompression bomb). */
export class TooManyPixelsError extends MalformedImageError {
  override name = 'TooManyPixelsError';
}

/** The file ends before its image does. */
export class TruncatedImageError extends MalformedImageError {
  override name = 'TruncatedImageError';
}

/** Bytes follow the end of the image: another file rides along (a ZIP, a page, a video). */
export class TrailingDataError extends MalformedImageError {
  override name = 'TrailingDataError';
  constructor(readonly trailingBytes: number) {
    super(
      `the file carries ${trailingBytes} bytes after the end of its image: Gallery stores single ` +
        'images only, with nothing appended (not even the video of a motion photo)',
    );
  }
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
