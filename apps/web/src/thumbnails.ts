import type { ImageView } from '@gallery/message-schema';

export type ThumbnailView = ImageView['thumbnails'][number];

/** Most widely shown first; one format is used so that srcset stays coherent. */
const FORMAT_PREFERENCE = ['webp', 'jpeg', 'avif', 'png'];

/** Only web addresses or paths on this site: never `javascript:` or the like in src or href. */
export function isSafeUrl(url: string): boolean {
  if (url.startsWith('/') && !url.startsWith('//')) return true;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export interface ThumbnailChoice {
  /** The smallest rendition, for the grid. */
  grid: ThumbnailView;
  /** The largest rendition, for the preview. */
  preview: ThumbnailView;
  /** Every rendition of the chosen format, smallest first. */
  all: ThumbnailView[];
}

const longSide = (t: ThumbnailView) => Math.max(t.width, t.height);

/** Picks the grid and preview renditions, or null while the image has none. */
export function chooseThumbnails(image: ImageView): ThumbnailChoice | null {
  const usable = image.thumbnails.filter((t) => isSafeUrl(t.url) && t.width > 0 && t.height > 0);
  if (usable.length === 0) return null;
  const rank = (format: string) => {
    const index = FORMAT_PREFERENCE.indexOf(format.toLowerCase());
    return index === -1 ? FORMAT_PREFERENCE.length : index;
  };
  const format = usable.map((t) => t.format).sort((a, b) => rank(a) - rank(b))[0];
  const all = usable.filter((t) => t.format === format).sort((a, b) => longSide(a) - longSide(b));
  return { grid: all[0], preview: all[all.length - 1], all };
}

/** `srcset` with width descriptors, so the browser takes the large one on dense screens. */
export const srcsetOf = (thumbnails: ThumbnailView[]): string =>
  thumbnails.map((t) => `${t.url} ${t.width}w`).join(', ');

export const originalUrl = (image: ImageView): string =>
  `/api/images/${encodeURIComponent(image.id)}/original`;
