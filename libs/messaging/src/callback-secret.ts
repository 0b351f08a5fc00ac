import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { CallbackSecretSource } from './worker-config';

/**
 * A Lambda worker's callback secret: the value itself, or a function that reads the SSM
 * SecureString once (at the first callback of a cold start) and caches it while the
 * container lives. A failed read is not cached, so the next record tries again.
 */
export function callbackSecretFrom(
  source: CallbackSecretSource,
  ssm: () => SSMClient,
): string | (() => Promise<string>) {
  if ('value' in source) return source.value;
  let secret: Promise<string> | undefined;
  const read = async () => {
    const { Parameter } = await ssm().send(
      new GetParameterCommand({ Name: source.parameter, WithDecryption: true }),
    );
    if (!Parameter?.Value) throw new Error(`SSM parameter ${source.parameter} has no value`);
    return Parameter.Value;
  };
  return () =>
    (secret ??= read().catch((error: unknown) => {
      secret = undefined;
      throw error;
    }));
}
