// What must never ship in a Lambda zip: the offline labeler (Human on tfjs) and its models.
// The Lambda labels with Rekognition; these weigh hundreds of megabytes and would only slow
// every cold start.

/** Matched against zip entries, the modules bundled into index.js and its external requires. */
const FORBIDDEN_PATHS = [
  { pattern: /@vladmandic\//, what: 'the offline labeler (@vladmandic/human)' },
  { pattern: /@tensorflow\//, what: 'tfjs (@tensorflow/*)' },
  { pattern: /\.bin$/i, what: 'a model weights file (.bin)' },
  { pattern: /centernet/i, what: 'the offline labeler’s model (centernet)' },
];

/** Matched against the bundle's own text: the offline labeler's code names its packages. */
const FORBIDDEN_TEXT = [
  { pattern: /@vladmandic\//, what: 'a reference to @vladmandic/*' },
  { pattern: /@tensorflow\//, what: 'a reference to @tensorflow/*' },
  { pattern: /centernet/i, what: 'a reference to the centernet model' },
];

/**
 * Everything forbidden in a package, as readable lines; empty when it is clean.
 * @param {{ entries: string[], bundledModules: string[], bundle: string }} contents
 *   the zip's entry paths, the source map's `sources` and index.js itself
 * @returns {string[]}
 */
function findForbiddenContent({ entries, bundledModules, bundle }) {
  const found = [];
  for (const { pattern, what } of FORBIDDEN_PATHS) {
    for (const entry of entries) {
      if (pattern.test(entry)) found.push(`zip entry ${entry}: ${what}`);
    }
    for (const source of bundledModules) {
      if (pattern.test(source)) found.push(`bundled module ${source}: ${what}`);
    }
  }
  for (const { pattern, what } of FORBIDDEN_TEXT) {
    if (pattern.test(bundle)) found.push(`index.js: ${what}`);
  }
  return found;
}

module.exports = { findForbiddenContent };
