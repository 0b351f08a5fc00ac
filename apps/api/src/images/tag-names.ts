/** Tags are compared and stored lower-cased and trimmed; blanks are dropped. */
export const normalizeTagName = (name: string): string => name.trim().toLowerCase();

/** Normalized, without blanks or duplicates, in first-seen order. */
export function normalizeTagNames(names: readonly string[]): string[] {
  return [...new Set(names.map(normalizeTagName).filter((name) => name !== ''))];
}
