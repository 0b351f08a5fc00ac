import * as z from 'zod';
import { InvalidMessageError, UnknownVersionError } from './errors';
import { IMAGE_UPLOADED, imageUploadedV1, type ImageUploaded } from './image-uploaded';

const snsEnvelope = z.object({
  Type: z.literal('Notification'),
  Message: z.string(),
  TopicArn: z.string().optional(),
});

const versioned = z.object({ type: z.string(), version: z.number() });

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidMessageError(`${where} is not JSON`, { cause });
  }
}

/**
 * Decodes an SQS record body into an `image.uploaded` event. Accepts the raw body (raw
 * message delivery) or an SNS envelope whose `Message` holds it. Throws an
 * InvalidMessageError (permanent: send it to the DLQ) saying where decoding failed.
 */
export function decodeImageUploaded(body: string): ImageUploaded {
  let message = parseJson(body, 'body');
  const envelope = snsEnvelope.safeParse(message);
  if (envelope.success) message = parseJson(envelope.data.Message, 'body.Message');

  const head = versioned.safeParse(message);
  if (!head.success) {
    throw new InvalidMessageError(
      `body has no event type and version: ${z.prettifyError(head.error)}`,
    );
  }
  if (head.data.type !== IMAGE_UPLOADED) {
    throw new InvalidMessageError(`unexpected event type "${head.data.type}"`);
  }
  if (head.data.version !== 1) {
    throw new UnknownVersionError(`unknown ${IMAGE_UPLOADED} version ${head.data.version}`);
  }
  const event = imageUploadedV1.safeParse(message);
  if (!event.success) {
    throw new InvalidMessageError(`invalid ${IMAGE_UPLOADED} v1: ${z.prettifyError(event.error)}`);
  }
  return event.data;
}
