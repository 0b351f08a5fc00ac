import * as z from 'zod';

/** A dead-lettered message as `GET /api/admin/failures` lists it. */
export const failureView = z.object({
  queue: z.string(),
  messageId: z.string(),
  /** Null when the message is no readable `image.uploaded` event. */
  imageId: z.string().nullable(),
  reason: z.string(),
  receiveCount: z.number().int(),
  /** ISO 8601. */
  deadLetteredAt: z.string(),
});
export type FailureView = z.infer<typeof failureView>;

export const failureList = z.object({ items: z.array(failureView) });

export const redriveResult = z.object({ moved: z.number().int() });
