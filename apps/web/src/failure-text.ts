import type { FailureView } from '@gallery/message-schema';

export interface FailureText {
  /** The image's name when it is known here, else its id, else the message's. */
  subject: string;
  queue: string;
  reason: string;
  /** e.g. "received 5 times". */
  attempts: string;
  /** When it was dead-lettered, for people. */
  time: string;
}

export interface TimeFormat {
  locale?: string;
  timeZone?: string;
}

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

/** A date and time in the reader's locale; the text as it came when it is no date. */
export function formatFailureTime(iso: string, { locale, timeZone }: TimeFormat = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(date);
}

/** What the failures panel says about one dead letter. */
export function describeFailure(
  failure: FailureView,
  nameOf: (imageId: string) => string | null,
  format: TimeFormat = {},
): FailureText {
  const subject =
    failure.imageId === null
      ? `message ${failure.messageId} (no image)`
      : (nameOf(failure.imageId) ?? failure.imageId);
  return {
    subject,
    queue: failure.queue,
    reason: failure.reason.trim() || 'no reason given',
    attempts: `received ${failure.receiveCount} ${plural(failure.receiveCount, 'time', 'times')}`,
    time: formatFailureTime(failure.deadLetteredAt, format),
  };
}

export const redriveText = (moved: number): string => `${moved} sent back`;

/** The badge's meaning for screen readers and the tooltip. */
export const failureCountLabel = (count: number): string =>
  `${count} ${plural(count, 'failure', 'failures')}`;
