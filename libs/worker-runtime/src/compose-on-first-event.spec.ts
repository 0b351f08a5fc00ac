import { composeOnFirstEvent } from './compose-on-first-event';

describe('composeOnFirstEvent', () => {
  it('composes nothing before the first event, then once for every event after it', async () => {
    // prepare
    const composed: string[] = [];
    const handler = composeOnFirstEvent(async () => {
      composed.push('adapters');
      return async (event: string) => `handled ${event}`;
    });
    const beforeAnyEvent = [...composed];

    // act
    const responses = await Promise.all([handler('a'), handler('b')]);
    responses.push(await handler('c'));

    // assess
    expect(beforeAnyEvent).toEqual([]);
    expect(responses).toEqual(['handled a', 'handled b', 'handled c']);
    expect(composed).toEqual(['adapters']);
  });

  it('fails the event whose composition failed, and composes again at the next one', async () => {
    // prepare
    let attempts = 0;
    const handler = composeOnFirstEvent(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('module failed to load');
      return async (event: string) => `handled ${event}`;
    });

    // act
    const first = handler('a').catch((error: Error) => error.message);
    const second = await first.then(() => handler('b'));

    // assess
    expect(await first).toBe('module failed to load');
    expect(second).toBe('handled b');
    expect(attempts).toBe(2);
  });
});
