import type { ImageView } from '@gallery/message-schema';

/** A filter as typed: trimmed, and empty means no filter. */
export function normalizeTag(input: string | null | undefined): string | null {
  const tag = input?.trim() ?? '';
  return tag === '' ? null : tag;
}

/** Whether an image belongs in a view filtered by `tag` (tag names compare case-insensitively). */
export function matchesTag(image: ImageView, tag: string | null): boolean {
  if (tag === null) return true;
  const wanted = tag.toLowerCase();
  return image.tags.some((t) => t.name.toLowerCase() === wanted);
}

/** The comma-separated tags of the edit form, trimmed, without blanks or repeats. */
export function parseTagList(input: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const part of input.split(',')) {
    const tag = part.trim();
    if (tag === '' || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    tags.push(tag);
  }
  return tags;
}

export const formatTagList = (image: ImageView): string => image.tags.map((t) => t.name).join(', ');
