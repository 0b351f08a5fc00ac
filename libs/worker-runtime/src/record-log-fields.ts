import type { SQSRecord } from 'aws-lambda';

/** The ids a record's log lines carry, so that they join the upload's and the API's lines. */
export interface RecordLogFields {
  messageId: string;
  receiveCount?: number;
  eventId?: string;
  imageId?: string;
  correlationId?: string;
}

const EVENT_IDS = ['eventId', 'imageId', 'correlationId'] as const;

/**
 * What a record says about itself, read leniently: the message id and receive count, and the
 * event's ids from its body, raw or inside an SNS envelope. A body that is not an event still
 * gets a line, with the ids it has; decoding it properly is the record handler's job.
 */
export function recordLogFields(record: SQSRecord): RecordLogFields {
  const fields: RecordLogFields = { messageId: record.messageId };
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount);
  if (Number.isInteger(receiveCount)) fields.receiveCount = receiveCount;
  const event = eventIn(record.body);
  for (const name of EVENT_IDS) {
    const value = event?.[name];
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}

function eventIn(body: string): Record<string, unknown> | undefined {
  const message = parseObject(body);
  if (message?.['Type'] === 'Notification' && typeof message['Message'] === 'string') {
    return parseObject(message['Message']);
  }
  return message;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
