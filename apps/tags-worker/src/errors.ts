/** The offline labeler's model could not be loaded: a set-up fault, so retryable, not the image's. */
export class LabelerUnavailableError extends Error {
  override name = 'LabelerUnavailableError';
}
