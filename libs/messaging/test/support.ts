/** A clock that only moves when told to. */
export function manualClock(start = Date.UTC(2025, 0, 1)) {
  let current = start;
  return {
    now: () => current,
    advanceSeconds: (seconds: number) => {
      current += seconds * 1000;
    },
    advanceMs: (ms: number) => {
      current += ms;
    },
  };
}

export { until, useTempDir } from '../src/testing';
