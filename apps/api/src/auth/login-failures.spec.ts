import { createLoginFailures } from './login-failures';

describe('createLoginFailures', () => {
  it('blocks a user name after the allowed failures, until the window ends', () => {
    let now = 0;
    const failures = createLoginFailures({ max: 2, windowMs: 60_000, now: () => now });
    failures.recordFailure('admin');
    const afterOne = failures.retryAfterSeconds('admin');
    failures.recordFailure('admin');
    now = 15_000;

    const blocked = failures.retryAfterSeconds('admin');
    now = 60_000;
    const later = failures.retryAfterSeconds('admin');

    expect(afterOne).toBe(0);
    expect(blocked).toBe(45);
    expect(later).toBe(0);
  });

  it('forgets the oldest user names rather than grow past its capacity', () => {
    const failures = createLoginFailures({ max: 1, windowMs: 60_000, capacity: 2, now: () => 0 });
    failures.recordFailure('first');
    failures.recordFailure('second');

    failures.recordFailure('third');

    expect(failures.retryAfterSeconds('first')).toBe(0);
    expect(failures.retryAfterSeconds('second')).toBe(60);
    expect(failures.retryAfterSeconds('third')).toBe(60);
  });
});
