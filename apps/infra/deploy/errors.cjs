/** A deployment that cannot go ahead: wrong options, a stale or missing manifest, a failed command. */
class DeployError extends Error {
  /** @override */
  name = 'DeployError';

  /**
   * @param {string} message
   * @param {{ cause?: unknown }} [options]
   */
  constructor(message, options) {
    super(message, options);
  }
}

module.exports = { DeployError };
