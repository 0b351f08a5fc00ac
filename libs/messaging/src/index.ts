export { InvalidReceiptHandleError, MessagingError, PermanentError, PublishError } from './errors';
export { isPermanent, reasonOf } from './errors';
export type { OutgoingMessage, Publisher } from './publisher';
export type { DeadLetterSink } from './dead-letter';
export { createFileQueue } from './file-queue';
export type {
  DeadLetter,
  FileQueue,
  FileQueueOptions,
  LeasedMessage,
  QueueCounts,
  QueuedMessage,
  ReleaseOptions,
} from './file-queue';
export { failureView, RedriveInProgressError } from './dead-letters';
export type { DeadLetters, FailureView } from './dead-letters';
export { createFileDeadLetters } from './file-dead-letters';
export type { FileDeadLettersOptions } from './file-dead-letters';
export {
  createSqsDeadLetters,
  DEFAULT_DEAD_LETTER_SAMPLE_SIZE,
  EXCEEDED_MAX_RECEIVE_COUNT,
} from './sqs-dead-letters';
export type { SqsDeadLetterQueue, SqsDeadLettersOptions } from './sqs-dead-letters';
export { createFilePublisher } from './file-publisher';
export type { FilePublisherOptions } from './file-publisher';
export { createSnsPublisher } from './sns-publisher';
export type { SnsPublisherOptions } from './sns-publisher';
export { createFileDeadLetterSink, createSqsDeadLetterSink } from './dead-letter-sinks';
export type { SqsDeadLetterSinkOptions } from './dead-letter-sinks';
export { localQueueArn, toSqsEvent } from './sqs-event';
export { loadOrCreateLocalSecret } from './local-secret';
