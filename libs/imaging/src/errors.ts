import { PermanentError } from '@gallery/messaging';

/**
 * Base error of this package: untrusted bytes that can never be used as an image (a format
 * outside the allow-list, corrupt or truncated data, too many pixels), or an image a consumer
 * cannot take. Permanent: the record is reported as failed and dead-lettered.
 */
export class InvalidImageError extends PermanentError {
  override name = 'InvalidImageError';
}
