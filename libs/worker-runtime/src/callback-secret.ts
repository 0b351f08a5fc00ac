import type { SSMClient } from '@aws-sdk/client-ssm';
import type { CallbackSecretSource } from './worker-config';

/**
 * A Lambda worker's callback secret: the value itself, or a function that reads the SSM
 * SecureString once (at the first callback of a cold start) and caches it while the
 * container lives. A failed read is not cached, so the next record tries again. The SDK's SSM
 * module is loaded by that first read, never for a secret given as itself; `ssm` unset, the
 * client is made then with the SDK's defaults.
 */
export function callbackSecretFrom(
  source: CallbackSecretSource,
  ssm?: () => SSMClient,
): string | (() => Promise<string>) {
  if ('value' in source) return source.value;
  let secret: Promise<string> | undefined;
  const read = async () => {
    const { GetParameterCommand, SSMClient } = await import('./ssm-sdk');
    const client = ssm ? ssm() : new SSMClient({});
    const { Parameter } = await client.send(
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
