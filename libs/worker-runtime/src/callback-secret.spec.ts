import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { callbackSecretFrom } from './callback-secret';

describe('callbackSecretFrom', () => {
  const ssm = mockClient(SSMClient);
  beforeEach(() => ssm.reset());

  it('gives a secret set directly as it is, without asking SSM', () => {
    expect(callbackSecretFrom({ value: 'direct-secret-0123456789' }, () => new SSMClient({}))).toBe(
      'direct-secret-0123456789',
    );
    expect(ssm.calls()).toHaveLength(0);
  });

  it('reads the SecureString once, decrypted, and caches it', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'from-ssm-0123456789' } });
    const secret = callbackSecretFrom({ parameter: '/gallery/tags' }, () => new SSMClient({}));

    const values = await Promise.all([1, 2, 3].map(() => (secret as () => Promise<string>)()));

    expect(values).toEqual(['from-ssm-0123456789', 'from-ssm-0123456789', 'from-ssm-0123456789']);
    expect(ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input)).toEqual([
      { Name: '/gallery/tags', WithDecryption: true },
    ]);
  });

  it('reads the SecureString with a client of its own when given none', async () => {
    // prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'from-ssm-0123456789' } });
    const secret = callbackSecretFrom({ parameter: '/gallery/thumbnail' });

    // act
    const value = await (secret as () => Promise<string>)();

    // assess
    expect(value).toBe('from-ssm-0123456789');
    expect(ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input)).toEqual([
      { Name: '/gallery/thumbnail', WithDecryption: true },
    ]);
  });

  it('tries again after a failed read', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ Parameter: { Value: 'from-ssm-0123456789' } });
    const secret = callbackSecretFrom({ parameter: '/gallery/tags' }, () => new SSMClient({}));

    await expect((secret as () => Promise<string>)()).rejects.toThrow('throttled');
    await expect((secret as () => Promise<string>)()).resolves.toBe('from-ssm-0123456789');
  });
});
