import { thumbHashToDataURL } from 'thumbhash';

/**
 * Renders a thumbhash (base64) as a small PNG data URL, or null when there is none or it
 * does not decode: a broken placeholder must not break the card.
 */
export function placeholderUrl(thumbhash: string | null): string | null {
  if (!thumbhash) return null;
  try {
    const bytes = Uint8Array.from(atob(thumbhash), (c) => c.charCodeAt(0));
    return bytes.length < 5 ? null : thumbHashToDataURL(bytes);
  } catch {
    return null;
  }
}
