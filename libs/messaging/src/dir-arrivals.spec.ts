import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '../test/support';
import { watchArrivals } from './dir-arrivals';

// A wait that is not cut short would outlast Jest's 5 s timeout and fail the test.
const LONG = 60_000;

describe('watchArrivals', () => {
  const tempDir = useTempDir();
  let stop: AbortController;
  beforeEach(() => (stop = new AbortController()));
  afterEach(() => stop.abort());

  it('wakes the waiter when a file lands in the directory', async () => {
    const arrivals = watchArrivals(tempDir(), stop.signal);
    const woken = arrivals.next(LONG);
    await writeFile(join(tempDir(), 'message.json'), '{}');
    await woken;
  });

  it('waits out its timeout when nothing arrives', async () => {
    const arrivals = watchArrivals(tempDir(), stop.signal);
    await arrivals.next(10);
    await arrivals.next(10);
  });

  it('lets the waiter go when the signal aborts', async () => {
    const arrivals = watchArrivals(tempDir(), stop.signal);
    const waiting = arrivals.next(LONG);
    stop.abort();
    await waiting;
    await arrivals.next(LONG);
  });

  it('falls back to its timeout without the directory, and watches once it exists', async () => {
    const dir = join(tempDir(), 'ready');
    const arrivals = watchArrivals(dir, stop.signal);
    await arrivals.next(10);
    await mkdir(dir);
    const woken = arrivals.next(LONG);
    await writeFile(join(dir, 'message.json'), '{}');
    await woken;
  });
});
