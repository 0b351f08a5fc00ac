import type { FailureView } from '@gallery/message-schema';

/** What the last "send back" did, shown until the panel is opened again. */
export type RedriveState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; moved: number }
  | { status: 'failed'; message: string };

export interface FailuresState {
  /** The dead letters, newest first; null until a list has arrived. */
  items: readonly FailureView[] | null;
  loading: boolean;
  /** Why the last list request failed (the API's message, e.g. where none can be read). */
  error: string | null;
  redrive: RedriveState;
}

export type FailuresAction =
  | { type: 'failures.requested' }
  | { type: 'failures.loaded'; items: readonly FailureView[] }
  | { type: 'failures.failed'; message: string }
  | { type: 'redrive.requested' }
  | { type: 'redrive.done'; moved: number }
  | { type: 'redrive.failed'; message: string }
  /** Forgets the last redrive's outcome, e.g. when the panel opens again. */
  | { type: 'redrive.dismissed' };

export const initialFailures = (): FailuresState => ({
  items: null,
  loading: false,
  error: null,
  redrive: { status: 'idle' },
});

const FAILURES_ACTIONS = new Set<string>([
  'failures.requested',
  'failures.loaded',
  'failures.failed',
  'redrive.requested',
  'redrive.done',
  'redrive.failed',
  'redrive.dismissed',
]);

export const isFailuresAction = (action: { type: string }): action is FailuresAction =>
  FAILURES_ACTIONS.has(action.type);

/** The dead letters' state transitions, pure; the same object back when nothing changes. */
export function reduceFailures(state: FailuresState, action: FailuresAction): FailuresState {
  switch (action.type) {
    case 'failures.requested':
      return state.loading ? state : { ...state, loading: true };
    case 'failures.loaded':
      return { ...state, items: action.items, loading: false, error: null };
    case 'failures.failed':
      // A list that could be read before stays shown, with the reason it is not fresh.
      return { ...state, loading: false, error: action.message };
    case 'redrive.requested':
      return state.redrive.status === 'running'
        ? state
        : { ...state, redrive: { status: 'running' } };
    case 'redrive.done':
      return { ...state, redrive: { status: 'done', moved: action.moved } };
    case 'redrive.failed':
      return { ...state, redrive: { status: 'failed', message: action.message } };
    case 'redrive.dismissed':
      return state.redrive.status === 'idle' || state.redrive.status === 'running'
        ? state
        : { ...state, redrive: { status: 'idle' } };
  }
}

/** How many dead letters the badge shows; null while unknown or unreadable. */
export const failureCount = (state: FailuresState): number | null => state.items?.length ?? null;
