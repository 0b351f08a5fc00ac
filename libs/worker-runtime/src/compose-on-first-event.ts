/**
 * A Lambda handler whose adapters are made at its first event instead of at the module's load:
 * the cold start's init stays short (the caller still reads and checks its configuration at
 * load), and loading the AWS SDK and making the clients is paid once, by the first event of the
 * container. A failed composition is not kept, so the next event tries again.
 */
export function composeOnFirstEvent<Event, Response>(
  compose: () => Promise<(event: Event) => Promise<Response>>,
): (event: Event) => Promise<Response> {
  let composed: Promise<(event: Event) => Promise<Response>> | undefined;
  return async (event) => {
    composed ??= compose().catch((error: unknown) => {
      composed = undefined;
      throw error;
    });
    return (await composed)(event);
  };
}
