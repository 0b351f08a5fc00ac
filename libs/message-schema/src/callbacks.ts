import * as z from 'zod';
import { PROCESSORS, RESULTS, type ProcessorName, type ResultOf } from '@gallery/processors';

/**
 * Every callback names its image in the signed body, so a signed request cannot be
 * replayed onto another image's URL: the API checks it against the path.
 */
const failure = z.object({
  status: z.literal('failed'),
  imageId: z.uuid(),
  eventId: z.uuid(),
  error: z.string().min(1).max(2000),
});

/** The body of a processor's callback: its result when done, its reason when failed. */
function callbackFor<R extends z.ZodObject>(result: R) {
  const done = z.object({ status: z.literal('done'), imageId: z.uuid(), eventId: z.uuid() });
  return z.discriminatedUnion('status', [done.extend(result.shape), failure]);
}

/** A processor's callback body: its result when done, its reason when failed. */
export type CallbackOf<N extends ProcessorName> =
  | ({ status: 'done'; imageId: string; eventId: string } & z.infer<(typeof RESULTS)[N]>)
  | z.infer<typeof failure>;

/** Per processor, the body of `PUT /internal/images/:id/<route>`. */
export const CALLBACKS = Object.fromEntries(
  PROCESSORS.map((name) => [name, callbackFor(RESULTS[name])]),
) as unknown as { [N in ProcessorName]: z.ZodType<CallbackOf<N>> };
/** Any processor's callback body. */
export type Callback = CallbackOf<ProcessorName>;
export type ThumbnailsCallback = CallbackOf<'thumbnail'>;
export type TagsCallback = CallbackOf<'tags'>;

const ENVELOPE = new Set(['status', 'imageId', 'eventId']);

/** What a processor reported when done: its callback's body without the envelope. */
export function resultOf<N extends ProcessorName>(
  callback: Extract<CallbackOf<N>, { status: 'done' }>,
): ResultOf<N> {
  return Object.fromEntries(
    Object.entries(callback).filter(([key]) => !ENVELOPE.has(key)),
  ) as ResultOf<N>;
}
