import type { ImageView } from '@gallery/message-schema';
import { CATALOG } from '@gallery/processors';

export interface StatusPart {
  kind: 'pending' | 'failed';
  text: string;
}

/**
 * What a card says about its processors, in the catalog's words: what is still running, then
 * what failed and why; nothing once all are done.
 */
export function statusParts({ status, errors }: ImageView): StatusPart[] {
  const pending = CATALOG.filter(({ name }) => status[name] === 'pending').map(
    ({ pendingText }): StatusPart => ({ kind: 'pending', text: pendingText }),
  );
  const failed = CATALOG.filter(({ name }) => status[name] === 'failed').map(
    ({ name, failedText }): StatusPart => ({
      kind: 'failed',
      text: `${failedText}: ${errors[name] ?? 'unknown error'}`,
    }),
  );
  return [...pending, ...failed];
}

/** Whether a processor has given up on the image. */
export const hasFailure = (image: ImageView): boolean =>
  CATALOG.some(({ name }) => image.status[name] === 'failed');
