import { decodeImageUploaded, type FailureView } from '@gallery/message-schema';
import { MessagingError } from './errors';
import type { DeadLetter } from './file-queue';

/** A dead-lettered message as an operator sees it (the failures list's contract). */
export type { FailureView };

/** The dead letters of every subscriber queue: to look at, and to send back for another try. */
export interface DeadLetters {
  /** Newest first. */
  list(): Promise<FailureView[]>;
  /**
   * Moves every dead letter back to its queue; resolves with how many moved. Rejects with a
   * RedriveInProgressError while an earlier redrive is still moving messages.
   */
  redrive(): Promise<number>;
}

/** A redrive was asked for while an earlier one is still moving messages: try again later. */
export class RedriveInProgressError extends MessagingError {
  override name = 'RedriveInProgressError';
}

/** The image a dead-lettered body was about; null when it is no readable `image.uploaded` event. */
export function imageIdOf(body: string): string | null {
  try {
    return decodeImageUploaded(body).imageId;
  } catch {
    // A poison message names no image; it still belongs in the list.
    return null;
  }
}

export function failureView(deadLetter: DeadLetter): FailureView {
  return {
    queue: deadLetter.queue,
    messageId: deadLetter.messageId,
    imageId: imageIdOf(deadLetter.body),
    reason: deadLetter.reason,
    receiveCount: deadLetter.receiveCount,
    deadLetteredAt: new Date(deadLetter.deadLetteredAt).toISOString(),
  };
}
