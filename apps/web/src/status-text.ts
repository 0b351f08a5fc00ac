import type { ImageView } from '@gallery/message-schema';

export interface StatusPart {
  kind: 'pending' | 'failed';
  text: string;
}

/** What a card says about its processors: nothing once both are done. */
export function statusParts(image: ImageView): StatusPart[] {
  const parts: StatusPart[] = [];
  const { status, errors } = image;
  if (status.thumbnail === 'pending') parts.push({ kind: 'pending', text: 'making thumbnail…' });
  if (status.tags === 'pending') parts.push({ kind: 'pending', text: 'tagging…' });
  if (status.thumbnail === 'failed') {
    parts.push({
      kind: 'failed',
      text: `thumbnail failed: ${errors.thumbnail ?? 'unknown error'}`,
    });
  }
  if (status.tags === 'failed') {
    parts.push({ kind: 'failed', text: `tagging failed: ${errors.tags ?? 'unknown error'}` });
  }
  return parts;
}

/** Whether a processor has given up on the image. */
export const hasFailure = (image: ImageView): boolean =>
  image.status.thumbnail === 'failed' || image.status.tags === 'failed';
