import { randomUUID } from 'node:crypto';
import type { FailureView } from '@gallery/message-schema';

/** A dead letter of the thumbnails queue, about a fresh image unless told otherwise. */
export function aFailure(overrides: Partial<FailureView> = {}): FailureView {
  return {
    queue: 'thumbnails',
    messageId: randomUUID(),
    imageId: randomUUID(),
    reason: 'image could not be decoded: VipsJpeg: Corrupt JPEG data',
    receiveCount: 1,
    deadLetteredAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}
