import { until } from '../../test/support/until';
import { CheckFailedError, createReadiness, type ReadinessCheck } from './readiness';

/** A check that answers only when the test settles its call. */
function heldCheck() {
  const calls: Array<{ resolve(): void; reject(error: Error): void }> = [];
  const check: ReadinessCheck = () =>
    new Promise<void>((resolve, reject) => void calls.push({ resolve, reject }));
  return { calls, check };
}

function countingCheck() {
  const counted = { calls: 0 };
  const check: ReadinessCheck = async () => void (counted.calls += 1);
  return { counted, check };
}

const never: ReadinessCheck = () => new Promise<void>(() => undefined);

describe('readiness', () => {
  it('is ready when every check passes, and says ok for each', async () => {
    const readiness = createReadiness({
      checks: { database: async () => undefined, publisher: async () => undefined },
    });

    expect(await readiness.report()).toEqual({
      status: 'ready',
      checks: { database: 'ok', publisher: 'ok' },
    });
  });

  it('is not ready when one check fails, naming it with its reason and the others ok', async () => {
    // prepare
    const readiness = createReadiness({
      checks: {
        database: async () => undefined,
        publisher: async () => {
          throw new CheckFailedError('topic gone');
        },
      },
    });
    // act
    const report = await readiness.report();
    // assess
    expect(report).toEqual({
      status: 'not ready',
      checks: { database: 'ok', publisher: 'topic gone' },
    });
  });

  it('reports only the first line of a failure, cut short, never its stack', async () => {
    // prepare
    const long = 'x'.repeat(500);
    const readiness = createReadiness({
      checks: {
        multiline: async () => {
          throw new Error('connection refused\n    at Socket.connect (net.js:1:1)');
        },
        long: async () => {
          throw new Error(long);
        },
        thrownAtOnce: () => {
          throw new Error('thrown before any promise');
        },
      },
    });
    // act
    const { checks } = await readiness.report();
    // assess
    expect(checks.multiline).toBe('connection refused');
    expect(checks.long).toBe(`${'x'.repeat(159)}…`);
    expect(checks.thrownAtOnce).toBe('thrown before any promise');
  });

  it('fails a check that does not answer in time, and answers without waiting for it', async () => {
    // prepare
    const readiness = createReadiness({
      checks: { database: async () => undefined, objectStore: never },
      timeoutMs: 50,
    });
    const started = Date.now();
    // act
    const report = await readiness.report();
    // assess
    expect(report).toEqual({
      status: 'not ready',
      checks: { database: 'ok', objectStore: 'no answer within 50 ms' },
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('runs one round for reports asked for at the same time', async () => {
    // prepare
    const { calls, check } = heldCheck();
    const readiness = createReadiness({ checks: { database: check } });
    // act
    const reports = Array.from({ length: 20 }, () => readiness.report());
    await until(() => calls.length > 0);
    calls[0].resolve();
    const answers = await Promise.all(reports);
    // assess
    expect(calls).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set(['ready']));
  });

  it('serves a report again for cacheMs, then runs the checks anew', async () => {
    // prepare
    let now = 0;
    const { counted, check } = countingCheck();
    const readiness = createReadiness({
      checks: { database: check },
      cacheMs: 1_000,
      now: () => now,
    });
    // act
    await readiness.report();
    now = 999;
    await readiness.report();
    const callsWithinCache = counted.calls;
    now = 1_000;
    await readiness.report();
    // assess
    expect(callsWithinCache).toBe(1);
    expect(counted.calls).toBe(2);
  });

  it('waits again on a check still unanswered from the round before rather than calling it again', async () => {
    // prepare
    const { calls, check } = heldCheck();
    const readiness = createReadiness({ checks: { publisher: check }, timeoutMs: 20, cacheMs: 0 });
    // act
    const first = await readiness.report();
    const second = await readiness.report();
    calls[0].reject(new Error('refused at last'));
    const third = await readiness.report();
    const fourth = await readiness.report();
    // assess
    expect(first.checks.publisher).toBe('no answer within 20 ms');
    expect(second.checks.publisher).toBe('no answer within 20 ms');
    expect(third.checks.publisher).toBe('refused at last');
    // the fourth round is the first to call the check again, once the pending call has answered
    expect(calls).toHaveLength(2);
    expect(fourth.checks.publisher).toBe('no answer within 20 ms');
  });

  it('answers not ready at once when drained, calling no check', async () => {
    // prepare
    const { counted, check } = countingCheck();
    const readiness = createReadiness({ checks: { database: check, objectStore: never } });
    // act
    readiness.drain();
    const report = await readiness.report();
    // assess
    expect(report).toEqual({ status: 'not ready', checks: { draining: 'shutting down' } });
    expect(counted.calls).toBe(0);
  });

  it('stops serving a cached ready report once drained', async () => {
    const readiness = createReadiness({ checks: { database: async () => undefined } });
    expect((await readiness.report()).status).toBe('ready');

    readiness.drain();

    expect(await readiness.report()).toEqual({
      status: 'not ready',
      checks: { draining: 'shutting down' },
    });
  });
});
