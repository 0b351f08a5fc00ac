import type { ImageView } from '@gallery/message-schema';
import { h } from '../dom';
import { statusParts } from '../status-text';

/**
 * The processors' progress or failures, or null when there is nothing to say. Progress
 * shares a line; each failure has its own, as its reason may be long (the title holds it
 * whole where the card cuts it short).
 */
export function renderStatusLine(image: ImageView, testId: string): HTMLElement | null {
  const parts = statusParts(image);
  if (parts.length === 0) return null;
  const line = h('p', { class: 'status', 'data-testid': testId });
  parts.forEach((part, index) => {
    if (index > 0 && part.kind === 'pending') line.append(' · ');
    const title = part.kind === 'failed' ? part.text : null;
    line.append(h('span', { class: `status-${part.kind}`, title }, part.text));
  });
  return line;
}
