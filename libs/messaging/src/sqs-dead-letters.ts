import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  imageIdOf,
  RedriveInProgressError,
  type DeadLetters,
  type FailureView,
} from './dead-letters';
import { MessagingError } from './errors';

export interface SqsDeadLetterQueue {
  /** The processor's queue as operators know it: `thumbnails`, `tags`. */
  name: string;
  /** The source queue: where a redrive sends the messages back. */
  queueUrl: string;
  deadLetterQueueUrl: string;
}

export interface SqsDeadLettersOptions {
  /** Made once and reused. */
  client: SQSClient;
  queues: SqsDeadLetterQueue[];
  /** The most dead letters `list()` shows per queue. */
  sampleSize?: number;
}

export const DEFAULT_DEAD_LETTER_SAMPLE_SIZE = 100;

/** What SQS's own redrive policy moved carries none of the attributes our sink sets. */
export const EXCEEDED_MAX_RECEIVE_COUNT = 'exceeded maxReceiveCount';

/** Move task states in which SQS refuses another task on the same queue. */
const ACTIVE_MOVE_TASK = new Set(['RUNNING', 'CANCELLING']);

/**
 * The dead-letter queues of the processors' SQS queues.
 *
 * SQS has no listing: `list()` peeks with receives that hide nothing (visibility timeout 0),
 * so it shows a sample of up to `sampleSize` dead letters per queue, not always all of them.
 * Every peek raises the message's receive count in the DLQ. Nothing consumes a DLQ, so that
 * harms nothing, but the count shown for a message SQS moved itself (SQS's own count) grows
 * with every look; what our sink sent shows the source queue's count, which stays put.
 *
 * `redrive()` starts one SQS message move task per DLQ back to its source queue. The tasks run
 * on after it resolves, so the count it resolves with is each DLQ's approximate number of
 * messages read just before its task started, not a count of moved messages.
 */
export function createSqsDeadLetters({
  client,
  queues,
  sampleSize = DEFAULT_DEAD_LETTER_SAMPLE_SIZE,
}: SqsDeadLettersOptions): DeadLetters {
  async function peek(queue: SqsDeadLetterQueue): Promise<FailureView[]> {
    const seen = new Map<string, FailureView>();
    while (seen.size < sampleSize) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.deadLetterQueueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          // A queue set to long polling would hold an empty page for up to 20 s.
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        }),
      );
      // Nothing is hidden, so receives hand out the same messages again: a page with none
      // not seen yet means this sample has what SQS is willing to show.
      const unseen = Messages.filter(
        (message) => message.MessageId !== undefined && !seen.has(message.MessageId),
      );
      if (unseen.length === 0) break;
      for (const message of unseen.slice(0, sampleSize - seen.size)) {
        seen.set(message.MessageId as string, sqsFailureView(queue.name, message));
      }
    }
    return [...seen.values()];
  }

  async function attributesOf(queueUrl: string, names: QueueAttributeName[]) {
    const { Attributes = {} } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: names }),
    );
    if (!Attributes.QueueArn) throw new MessagingError(`SQS gave no QueueArn for ${queueUrl}`);
    return { ...Attributes, QueueArn: Attributes.QueueArn };
  }

  async function prepareMove(queue: SqsDeadLetterQueue) {
    const [deadLetterQueue, source] = await Promise.all([
      attributesOf(queue.deadLetterQueueUrl, ['QueueArn', 'ApproximateNumberOfMessages']),
      attributesOf(queue.queueUrl, ['QueueArn']),
    ]);
    const { Results = [] } = await client.send(
      new ListMessageMoveTasksCommand({ SourceArn: deadLetterQueue.QueueArn, MaxResults: 1 }),
    );
    return {
      queue,
      sourceArn: deadLetterQueue.QueueArn,
      destinationArn: source.QueueArn,
      waiting: Number(deadLetterQueue.ApproximateNumberOfMessages ?? 0),
      busy: Results.some((task) => ACTIVE_MOVE_TASK.has(task.Status ?? '')),
    };
  }

  return {
    async list() {
      const failures = (await Promise.all(queues.map(peek))).flat();
      return failures.sort((a, b) => Date.parse(b.deadLetteredAt) - Date.parse(a.deadLetteredAt));
    },

    async redrive() {
      const moves = await Promise.all(queues.map(prepareMove));
      const busy = moves.filter((move) => move.busy).map((move) => move.queue.name);
      // Refused before any task starts, so that nothing is left half done.
      if (busy.length > 0) throw redriveInProgress(busy);
      let moved = 0;
      for (const move of moves) {
        // A task on an empty queue moves nothing and would hold the queue's one task slot.
        if (move.waiting === 0) continue;
        try {
          await client.send(
            new StartMessageMoveTaskCommand({
              SourceArn: move.sourceArn,
              // Explicit: what our sink sent to the DLQ has no source queue SQS knows of.
              DestinationArn: move.destinationArn,
            }),
          );
        } catch (error) {
          // A task started since the look: the ones started before this run on.
          if (isTaskAlreadyRunning(error)) throw redriveInProgress([move.queue.name], error);
          throw error;
        }
        moved += move.waiting;
      }
      return moved;
    },
  };
}

/** A DLQ message as an operator sees it, from the attributes `createSqsDeadLetterSink` sets. */
function sqsFailureView(queue: string, message: Message): FailureView {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const receiveCount = attribute('receiveCount') ?? message.Attributes?.ApproximateReceiveCount;
  return {
    queue,
    // SQS's redrive policy keeps the source's message id; our sink sends a new message.
    messageId: attribute('sourceMessageId') ?? (message.MessageId as string),
    imageId: imageIdOf(message.Body ?? ''),
    reason: attribute('reason') ?? EXCEEDED_MAX_RECEIVE_COUNT,
    receiveCount: Number(receiveCount ?? 0),
    // For a message SQS moved itself, this is when it was first sent: SQS keeps that time.
    deadLetteredAt: new Date(Number(message.Attributes?.SentTimestamp ?? 0)).toISOString(),
  };
}

/**
 * SQS answers a second move task on a queue with InvalidParameterValue "There is already a
 * task running. Only one active task is allowed for a source queue arn at a given time."; the
 * same code also means other bad input, hence the look at the message.
 */
function isTaskAlreadyRunning(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'InvalidParameterValue' &&
    /already a task running/i.test(error.message)
  );
}

function redriveInProgress(queues: string[], cause?: unknown) {
  return new RedriveInProgressError(
    `a redrive of ${queues.join(', ')} is still moving messages: try again once it has finished`,
    { cause },
  );
}
