import type { ImageView } from '@gallery/message-schema';
import { h } from '../dom';
import { statusParts } from '../status-text';

/** The processors' progress or failures, or null when there is nothing to say. */
export function renderStatusLine(image: ImageView, testId: string): HTMLElement | null {
  const parts = statusParts(image);
  if (parts.length === 0) return null;
  const line = h('p', { class: 'status', 'data-testid': testId });
  parts.forEach((part, index) => {
    if (index > 0) line.append(' · ');
    line.append(h('span', { class: `status-${part.kind}` }, part.text));
  });
  return line;
}
