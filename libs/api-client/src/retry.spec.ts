import { backoffDelay } from './retry';

describe('backoffDelay', () => {
  const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('grows exponentially up to the cap', () => {
    const atMost = (attempt: number) => backoffDelay(policy, attempt, () => 0.999999);
    expect([1, 2, 3, 4, 5].map(atMost)).toEqual([199, 399, 799, 999, 999]);
  });

  it('jitters over the whole range down to zero', () => {
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(400);
  });
});
