// Its own entry (`@gallery/imaging/limits`): the API checks upload headers against it without
// loading sharp.

/** About 10k × 10k: far below sharp's default (268 MP), enough for any camera. */
export const MAX_INPUT_PIXELS = 100_000_000;
