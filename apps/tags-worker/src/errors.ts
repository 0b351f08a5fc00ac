import { PermanentError } from '@gallery/messaging';

/**
 * An original that can never be labelled (a format outside the allow-list, corrupt data, too
 * small or too large for the labeler): permanent, so it is reported as failed and dead-lettered.
 */
export class InvalidImageError extends PermanentError {
  override name = 'InvalidImageError';
}

/** The offline labeler's model could not be loaded: a set-up fault, so retryable, not the image's. */
export class LabelerUnavailableError extends Error {
  override name = 'LabelerUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The environment does not describe a runnable worker. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
