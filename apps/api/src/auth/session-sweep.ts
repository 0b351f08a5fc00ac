import type { PeriodicTask } from '../housekeeping/periodic';
import { startRowSweep, type RowSweepDeps } from '../housekeeping/row-sweep';
import { deleteExpiredSessions } from './sessions';

/**
 * Expired sessions are already refused; this deletes them now and then, so that the table
 * does not keep every session ever opened.
 */
export function startSessionSweep(deps: RowSweepDeps): PeriodicTask {
  return startRowSweep(deps, {
    name: 'session sweep',
    deleted: 'expired sessions deleted',
    sweep: deleteExpiredSessions,
  });
}
