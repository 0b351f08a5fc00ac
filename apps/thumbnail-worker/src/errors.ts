import { PermanentError } from '@gallery/messaging';

/**
 * An original that can never become thumbnails (a format outside the allow-list, corrupt or
 * truncated data, too many pixels): permanent, so it is reported as failed and dead-lettered.
 */
export class InvalidImageError extends PermanentError {
  override name = 'InvalidImageError';
}

/** The environment does not describe a runnable worker. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
