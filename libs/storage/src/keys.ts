const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkId(imageId: string): string {
  if (!ID.test(imageId)) throw new TypeError(`not an image id: ${JSON.stringify(imageId)}`);
  return imageId;
}

/** Keys are built from internal ids only: a user's filename never reaches a key. */
export const originalKey = (imageId: string) => `originals/${checkId(imageId)}`;

export const thumbnailPrefix = (imageId: string) => `thumbnails/${checkId(imageId)}/`;

/** The image a key belongs to, or null for a key no image id names. */
export function imageIdOfKey(key: string): string | null {
  const match = /^(?:originals\/([^/]+)$|thumbnails\/([^/]+)\/)/.exec(key);
  const id = match?.[1] ?? match?.[2];
  return id !== undefined && ID.test(id) ? id : null;
}

export function thumbnailKey(imageId: string, width: number, format: string): string {
  if (!Number.isInteger(width) || width <= 0) throw new TypeError(`not a width: ${width}`);
  if (!/^[a-z0-9]+$/.test(format)) throw new TypeError(`not a format: ${format}`);
  return `${thumbnailPrefix(imageId)}${width}.${format}`;
}
