import { ApiClientError } from '@gallery/api-client';
import type { FailureView } from '@gallery/message-schema';
import { aFailure } from '../test/a-failure';
import { createFailuresLoader, type FailuresLoaderDeps } from './failures-loader';
import { createStore } from './store';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** Timers the test runs by hand; a cancelled one is dropped. */
function fakeTimers() {
  const pending = new Map<number, { run: () => void; ms: number }>();
  let next = 0;
  return {
    schedule: (run: () => void, ms: number) => {
      pending.set(++next, { run, ms });
      return next;
    },
    cancel: (handle: unknown) => void pending.delete(handle as number),
    delays: () => [...pending.values()].map(({ ms }) => ms),
    runAll(): void {
      const due = [...pending.values()];
      pending.clear();
      due.forEach(({ run }) => run());
    },
  };
}

function setUp(overrides: Partial<FailuresLoaderDeps> = {}) {
  const store = createStore();
  const timers = fakeTimers();
  const calls = { list: 0, redrive: 0, unauthorized: 0 };
  let answer: () => Promise<FailureView[]> = async () => [];
  const loader = createFailuresLoader({
    listFailures: () => {
      calls.list++;
      return answer();
    },
    redriveFailures: async () => {
      calls.redrive++;
      return 2;
    },
    store,
    onUnauthorized: () => calls.unauthorized++,
    schedule: timers.schedule,
    cancel: timers.cancel,
    followUpMs: [1_000, 5_000],
    ...overrides,
  });
  return { store, timers, calls, loader, answerWith: (next: typeof answer) => (answer = next) };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('failures loader', () => {
  it('puts the dead letters it reads into the store', async () => {
    const { store, loader, answerWith } = setUp();
    const items = [aFailure(), aFailure({ queue: 'tags' })];
    answerWith(async () => items);

    await loader.refresh();

    expect(store.getState().failures).toMatchObject({ items, loading: false, error: null });
  });

  it('asks again after an answer on its way, so an older list never replaces a newer one', async () => {
    const { store, calls, loader, answerWith } = setUp();
    const first = deferred<FailureView[]>();
    const newer = [aFailure()];
    answerWith(() => first.promise);
    const one = loader.refresh();
    answerWith(async () => newer);

    const two = loader.refresh();
    const three = loader.refresh();
    first.resolve([]);
    await Promise.all([one, two, three]);

    expect(calls.list).toBe(2);
    expect(store.getState().failures.items).toBe(newer);
  });

  it("keeps the API's message when the dead letters cannot be read", async () => {
    const { store, loader, answerWith } = setUp();
    answerWith(async () => {
      throw new ApiClientError('dead letters are in SQS: set DEAD_LETTER_QUEUES', 501, true);
    });

    await loader.refresh();

    expect(store.getState().failures).toMatchObject({
      items: null,
      error: 'dead letters are in SQS: set DEAD_LETTER_QUEUES',
    });
  });

  it('sends the user to sign in when the session has ended', async () => {
    const { calls, loader, answerWith } = setUp();
    answerWith(async () => {
      throw new ApiClientError('not signed in', 401, true);
    });

    await loader.refresh();

    expect(calls.unauthorized).toBe(1);
  });

  it('sends the dead letters back, says how many, and reads the list now and later', async () => {
    const { store, timers, calls, loader } = setUp();

    await loader.redrive();
    timers.runAll();
    await settled();

    expect(store.getState().failures.redrive).toEqual({ status: 'done', moved: 2 });
    expect(calls.redrive).toBe(1);
    expect(calls.list).toBe(3);
  });

  it("keeps the API's message when it refuses a redrive, and reads the list again", async () => {
    const { store, timers, calls, loader } = setUp({
      redriveFailures: async () => {
        throw new ApiClientError('a redrive is already running', 409, true);
      },
    });

    await loader.redrive();

    expect(store.getState().failures.redrive).toEqual({
      status: 'failed',
      message: 'a redrive is already running',
    });
    expect(calls.list).toBe(1);
    expect(timers.delays()).toEqual([]);
  });

  it('asks for one redrive at a time', async () => {
    const moved = deferred<number>();
    let redrives = 0;
    const { loader } = setUp({
      redriveFailures: () => {
        redrives++;
        return moved.promise;
      },
    });

    const first = loader.redrive();
    const second = loader.redrive();
    moved.resolve(1);
    await Promise.all([first, second]);

    expect(redrives).toBe(1);
  });

  it('starts its follow-up over when asked again, and drops it when stopped', () => {
    const { timers, loader } = setUp();

    loader.followUp();
    loader.followUp();
    const following = timers.delays();
    loader.stop();

    expect(following).toEqual([1_000, 5_000]);
    expect(timers.delays()).toEqual([]);
  });
});
