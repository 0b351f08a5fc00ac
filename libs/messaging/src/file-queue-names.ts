import { randomBytes } from 'node:crypto';
import { InvalidReceiptHandleError } from './errors';

/*
 * File names of a file queue. Every name starts with a zero-padded millisecond timestamp,
 * so a plain sort orders `ready/` and `dead/` by send time and `leased/` by lease deadline.
 */

const MESSAGE_FILE = '.json';
const MESSAGE_NAME = /^\d{15}-([A-Za-z0-9-]+)\.json$/;
const RECEIPT_HANDLE = /^(\d{15})-([A-Za-z0-9-]+)-([0-9a-f]{32})$/;

const timestamp = (ms: number) => String(Math.max(0, Math.floor(ms))).padStart(15, '0');

/** The name of a visible message, and of a dead one: send time, then id. */
export const messageFileName = (sentAt: number, messageId: string) =>
  `${timestamp(sentAt)}-${messageId}${MESSAGE_FILE}`;

/** The id of the message a file in `ready/` or `dead/` holds, or null for a stray file. */
export const messageIdOfFile = (fileName: string): string | null =>
  MESSAGE_NAME.exec(fileName)?.[1] ?? null;

export interface Lease {
  /** The receipt handle: the leased file's name without its extension. */
  receiptHandle: string;
  fileName: string;
  messageId: string;
  /** Epoch milliseconds after which the message is visible again. */
  deadline: number;
}

/**
 * A new lease on a message. Its random token makes each lease's name unique, so a message
 * renamed to a newer lease can no longer be reached through an older receipt handle.
 */
export function newLease(messageId: string, deadline: number): Lease {
  const receiptHandle = `${timestamp(deadline)}-${messageId}-${randomBytes(16).toString('hex')}`;
  return { receiptHandle, fileName: `${receiptHandle}${MESSAGE_FILE}`, messageId, deadline };
}

/** The lease a receipt handle names; throws on anything a file queue did not hand out. */
export function leaseOf(receiptHandle: string): Lease {
  const match = RECEIPT_HANDLE.exec(receiptHandle);
  if (!match) throw new InvalidReceiptHandleError('not a receipt handle of a file queue');
  return {
    receiptHandle,
    fileName: `${receiptHandle}${MESSAGE_FILE}`,
    messageId: match[2],
    deadline: Number(match[1]),
  };
}

/** The lease a file in `leased/` stands for, or null for a stray file. */
export function leaseOfFile(fileName: string): Lease | null {
  if (!fileName.endsWith(MESSAGE_FILE)) return null;
  const receiptHandle = fileName.slice(0, -MESSAGE_FILE.length);
  return RECEIPT_HANDLE.test(receiptHandle) ? leaseOf(receiptHandle) : null;
}
