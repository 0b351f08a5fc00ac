import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { watchArrivals, type Arrivals } from './dir-arrivals';
import { MessagingError } from './errors';
import {
  leaseOf,
  leaseOfFile,
  messageFileName,
  messageIdOfFile,
  newLease,
  type Lease,
} from './file-queue-names';

export interface FileQueueOptions {
  /** The queue's directory; created on first use. */
  dir: string;
  /** Names the queue in dead letters and event source ARNs; defaults to the directory's name. */
  name?: string;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
  /** The clock, in epoch milliseconds. */
  now?: () => number;
}

/** A message as stored in its file. */
export interface QueuedMessage {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  /** Epoch milliseconds. */
  sentAt: number;
  receiveCount: number;
  /** Epoch milliseconds of the first receive. */
  firstReceivedAt?: number;
  /** The reason given by the last `release`. */
  lastError?: string;
}

export interface LeasedMessage {
  messageId: string;
  /** Names this lease only: once the message is leased again, the handle is stale. */
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  receiveCount: number;
  sentAt: number;
  firstReceivedAt: number;
}

export interface DeadLetter extends QueuedMessage {
  reason: string;
  /** Epoch milliseconds. */
  deadLetteredAt: number;
  queue: string;
}

export interface QueueCounts {
  /** Visible messages, expired leases included. */
  ready: number;
  /** Messages under a lease that has not expired. */
  leased: number;
  dead: number;
}

export interface ReleaseOptions {
  /** How long the message stays invisible, as SQS's ChangeMessageVisibility; 0 by default. */
  delaySeconds?: number;
}

/**
 * A durable queue in a directory, with SQS's contract: at-least-once delivery, a visibility
 * timeout, a receive count and a dead-letter directory. Every change of state is an atomic
 * rename, so several processes may share a queue without locks.
 */
export interface FileQueue {
  readonly name: string;
  readonly dir: string;
  /** Resolves with the new message's id once the message is durably queued. */
  send(body: string, attributes?: Record<string, string>): Promise<string>;
  receive(max?: number): Promise<LeasedMessage[]>;
  /** Idempotent; a stale receipt handle deletes nothing. */
  delete(receiptHandle: string): Promise<void>;
  /** Makes a leased message visible again, recording why; a stale handle does nothing. */
  release(receiptHandle: string, reason?: string, options?: ReleaseOptions): Promise<void>;
  /** Moves a leased message to the dead letters at once; a stale handle does nothing. */
  deadLetter(receiptHandle: string, reason: string): Promise<void>;
  listDeadLetters(): Promise<DeadLetter[]>;
  /** Queues every dead letter again with a fresh receive count; resolves with how many. */
  redrive(): Promise<number>;
  counts(): Promise<QueueCounts>;
  /** Wakes a receiver waiting on the empty queue when a message may have arrived. */
  arrivals(signal: AbortSignal): Arrivals;
}

interface Stored {
  message: QueuedMessage;
  /** Set when the file held no message: it goes to the dead letters as it is. */
  unreadable?: string;
}

const isNotFound = (error: unknown) => (error as { code?: unknown }).code === 'ENOENT';

/**
 * Layout: `tmp/` (files being written), `ready/<sentAt>-<id>.json`,
 * `leased/<deadline>-<id>-<token>.json` (the name without `.json` is the receipt handle) and
 * `dead/<sentAt>-<id>.json`. A file is only ever published whole, by a rename.
 */
export function createFileQueue(options: FileQueueOptions): FileQueue {
  const { dir, visibilityTimeoutSeconds = 30, maxReceiveCount = 5, now = Date.now } = options;
  if (!(visibilityTimeoutSeconds >= 0)) {
    throw new MessagingError('visibilityTimeoutSeconds must not be negative');
  }
  if (!(maxReceiveCount >= 1)) throw new MessagingError('maxReceiveCount must be at least 1');
  const name = options.name ?? basename(resolve(dir));
  const visibilityMs = visibilityTimeoutSeconds * 1000;
  const tmpDir = join(dir, 'tmp');
  const readyDir = join(dir, 'ready');
  const leasedDir = join(dir, 'leased');
  const deadDir = join(dir, 'dead');

  let created: Promise<void> | undefined;
  function ensureDirs(): Promise<void> {
    created ??= Promise.all(
      [tmpDir, readyDir, leasedDir, deadDir].map((path) => mkdir(path, { recursive: true })),
    ).then(
      () => undefined,
      (error: unknown) => {
        created = undefined;
        throw error;
      },
    );
    return created;
  }

  async function writeWhole(path: string, content: QueuedMessage): Promise<void> {
    const tmp = join(tmpDir, `${randomUUID()}.tmp`);
    try {
      await writeFile(tmp, JSON.stringify(content));
      await rename(tmp, path);
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
  }

  /** False when the source is gone: another receiver (or process) took it first. */
  async function moveIfPresent(from: string, to: string): Promise<boolean> {
    try {
      await rename(from, to);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async function readStored(path: string, messageId: string): Promise<Stored | null> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    try {
      const message = JSON.parse(text) as QueuedMessage;
      if (typeof message.body !== 'string' || typeof message.receiveCount !== 'number') {
        throw new TypeError('no body or receive count');
      }
      return { message };
    } catch (error) {
      const message = { messageId, body: text, attributes: {}, sentAt: 0, receiveCount: 0 };
      return { message, unreadable: `unreadable message file: ${String(error)}` };
    }
  }

  const listFiles = async (path: string) => (await readdir(path)).sort();

  async function listLeases(): Promise<Lease[]> {
    return (await listFiles(leasedDir))
      .map(leaseOfFile)
      .filter((lease): lease is Lease => lease !== null);
  }

  /** Takes a message into a lease of its own; null when another call took it first. */
  async function takeLease(
    from: string,
    messageId: string,
    deadline: number,
  ): Promise<{ path: string; lease: Lease; stored: Stored } | null> {
    const lease = newLease(messageId, deadline);
    const path = join(leasedDir, lease.fileName);
    if (!(await moveIfPresent(from, path))) return null;
    const stored = await readStored(path, messageId);
    return stored && { path, lease, stored };
  }

  /** Takes over a receipt handle's lease, so no other call can act on the message meanwhile. */
  function retakeLease(receiptHandle: string, deadline: number) {
    const lease = leaseOf(receiptHandle);
    return takeLease(join(leasedDir, lease.fileName), lease.messageId, deadline);
  }

  /** Rewrites the message as a dead letter in its lease, then moves it to `dead/` in one step. */
  async function bury(path: string, message: QueuedMessage, reason: string): Promise<void> {
    const deadLetter: DeadLetter = { ...message, reason, deadLetteredAt: now(), queue: name };
    await writeWhole(path, deadLetter);
    await rename(path, join(deadDir, messageFileName(message.sentAt, message.messageId)));
  }

  async function deliver(
    from: string,
    messageId: string,
    receivedAt: number,
  ): Promise<LeasedMessage | null> {
    const taken = await takeLease(from, messageId, receivedAt + visibilityMs);
    if (!taken) return null;
    const { path, lease, stored } = taken;
    if (stored.unreadable) {
      await bury(path, stored.message, stored.unreadable);
      return null;
    }
    const receiveCount = stored.message.receiveCount + 1;
    if (receiveCount > maxReceiveCount) {
      await bury(path, stored.message, `exceeded maxReceiveCount (${maxReceiveCount})`);
      return null;
    }
    const message = {
      ...stored.message,
      receiveCount,
      firstReceivedAt: stored.message.firstReceivedAt ?? receivedAt,
    };
    // From here on the leased file is the source of truth for the receive count.
    await writeWhole(path, message);
    const { body, attributes, sentAt, firstReceivedAt } = message;
    return {
      messageId,
      receiptHandle: lease.receiptHandle,
      body,
      attributes,
      receiveCount,
      sentAt,
      firstReceivedAt,
    };
  }

  return {
    name,
    dir,

    async send(body, attributes = {}) {
      await ensureDirs();
      const messageId = randomUUID();
      const sentAt = now();
      const message: QueuedMessage = { messageId, body, attributes, sentAt, receiveCount: 0 };
      await writeWhole(join(readyDir, messageFileName(sentAt, messageId)), message);
      return messageId;
    },

    async receive(max = 10) {
      await ensureDirs();
      const receivedAt = now();
      const expired = (await listLeases())
        .filter((lease) => lease.deadline <= receivedAt)
        .map((lease) => ({ path: join(leasedDir, lease.fileName), messageId: lease.messageId }));
      const ready = (await listFiles(readyDir)).flatMap((fileName) => {
        const messageId = messageIdOfFile(fileName);
        return messageId ? [{ path: join(readyDir, fileName), messageId }] : [];
      });
      const received: LeasedMessage[] = [];
      for (const candidate of [...expired, ...ready]) {
        if (received.length >= max) break;
        const message = await deliver(candidate.path, candidate.messageId, receivedAt);
        if (message) received.push(message);
      }
      return received;
    },

    async delete(receiptHandle) {
      const { fileName } = leaseOf(receiptHandle);
      try {
        await unlink(join(leasedDir, fileName));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },

    async release(receiptHandle, reason, { delaySeconds = 0 } = {}) {
      await ensureDirs();
      const delayMs = delaySeconds * 1000;
      // A delayed release keeps its new lease until the delay is over; otherwise the lease
      // is only held (for a visibility timeout, should this process die) until the rename.
      const taken = await retakeLease(
        receiptHandle,
        now() + (delayMs > 0 ? delayMs : visibilityMs),
      );
      if (!taken) return;
      const { message } = taken.stored;
      if (reason !== undefined) await writeWhole(taken.path, { ...message, lastError: reason });
      if (delayMs > 0) return;
      await rename(taken.path, join(readyDir, messageFileName(message.sentAt, message.messageId)));
    },

    async deadLetter(receiptHandle, reason) {
      await ensureDirs();
      const taken = await retakeLease(receiptHandle, now() + visibilityMs);
      if (taken) await bury(taken.path, taken.stored.message, reason);
    },

    async listDeadLetters() {
      await ensureDirs();
      const deadLetters: DeadLetter[] = [];
      for (const fileName of await listFiles(deadDir)) {
        if (!messageIdOfFile(fileName)) continue;
        try {
          deadLetters.push(JSON.parse(await readFile(join(deadDir, fileName), 'utf8')));
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      return deadLetters;
    },

    async redrive() {
      await ensureDirs();
      let redriven = 0;
      for (const fileName of await listFiles(deadDir)) {
        const messageId = messageIdOfFile(fileName);
        if (!messageId) continue;
        const taken = await takeLease(join(deadDir, fileName), messageId, now() + visibilityMs);
        if (!taken) continue;
        const { body, attributes, sentAt } = taken.stored.message;
        await writeWhole(taken.path, { messageId, body, attributes, sentAt, receiveCount: 0 });
        await rename(taken.path, join(readyDir, messageFileName(sentAt, messageId)));
        redriven += 1;
      }
      return redriven;
    },

    async counts() {
      await ensureDirs();
      const at = now();
      const leases = await listLeases();
      const expired = leases.filter((lease) => lease.deadline <= at).length;
      const ready = (await listFiles(readyDir)).filter((fileName) => messageIdOfFile(fileName));
      const dead = (await listFiles(deadDir)).filter((fileName) => messageIdOfFile(fileName));
      return { ready: ready.length + expired, leased: leases.length - expired, dead: dead.length };
    },

    // Expired leases and delayed releases become visible with time alone: the timeout covers them.
    arrivals: (signal) => watchArrivals(readyDir, signal),
  };
}
