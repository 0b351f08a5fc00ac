import type { PeriodicTask } from '../housekeeping/periodic';
import { startRowSweep, type RowSweepDeps } from '../housekeeping/row-sweep';
import { deleteExpiredLoginAttempts } from './login-attempts';

/**
 * An ended window is already started over by the next attempt on its key; this deletes the
 * rest now and then, so that addresses and user names tried once do not stay for good.
 */
export function startLoginAttemptSweep(deps: RowSweepDeps): PeriodicTask {
  return startRowSweep(deps, {
    name: 'login attempt sweep',
    deleted: 'ended login attempt windows deleted',
    sweep: deleteExpiredLoginAttempts,
  });
}
