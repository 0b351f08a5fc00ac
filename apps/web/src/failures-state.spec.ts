import { aFailure } from '../test/a-failure';
import {
  failureCount,
  initialFailures,
  reduceFailures,
  type FailuresAction,
  type FailuresState,
} from './failures-state';

const apply = (state: FailuresState, ...actions: FailuresAction[]) =>
  actions.reduce(reduceFailures, state);

describe('failures reducer', () => {
  it('knows no count until a list has arrived', () => {
    const state = reduceFailures(initialFailures(), { type: 'failures.requested' });

    expect(state.loading).toBe(true);
    expect(failureCount(state)).toBeNull();
  });

  it('counts the dead letters of the list that arrived', () => {
    const items = [aFailure(), aFailure({ queue: 'tags' })];

    const state = apply(
      initialFailures(),
      { type: 'failures.requested' },
      { type: 'failures.loaded', items },
    );

    expect(state).toMatchObject({ items, loading: false, error: null });
    expect(failureCount(state)).toBe(2);
  });

  it('keeps the last list and gives the reason when the next one cannot be read', () => {
    const items = [aFailure()];
    const state = apply(initialFailures(), { type: 'failures.loaded', items });

    const next = apply(
      state,
      { type: 'failures.requested' },
      { type: 'failures.failed', message: 'dead letters are in SQS' },
    );

    expect(next).toMatchObject({ items, loading: false, error: 'dead letters are in SQS' });
  });

  it('clears the reason once a list arrives again', () => {
    const state = apply(initialFailures(), { type: 'failures.failed', message: 'offline' });

    const next = reduceFailures(state, { type: 'failures.loaded', items: [] });

    expect(next.error).toBeNull();
    expect(failureCount(next)).toBe(0);
  });

  it('changes nothing when a list is asked for while one is on its way', () => {
    const state = reduceFailures(initialFailures(), { type: 'failures.requested' });

    expect(reduceFailures(state, { type: 'failures.requested' })).toBe(state);
  });

  it('tells how many were sent back', () => {
    const state = apply(
      initialFailures(),
      { type: 'redrive.requested' },
      { type: 'redrive.done', moved: 2 },
    );

    expect(state.redrive).toEqual({ status: 'done', moved: 2 });
  });

  it('keeps the message of a redrive the API refused', () => {
    const state = apply(
      initialFailures(),
      { type: 'redrive.requested' },
      { type: 'redrive.failed', message: 'a redrive is already running' },
    );

    expect(state.redrive).toEqual({ status: 'failed', message: 'a redrive is already running' });
  });

  it('forgets a finished redrive when dismissed, but not one still running', () => {
    const done = apply(initialFailures(), { type: 'redrive.done', moved: 1 });
    const running = apply(initialFailures(), { type: 'redrive.requested' });

    expect(reduceFailures(done, { type: 'redrive.dismissed' }).redrive).toEqual({
      status: 'idle',
    });
    expect(reduceFailures(running, { type: 'redrive.dismissed' })).toBe(running);
  });
});
