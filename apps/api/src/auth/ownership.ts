import { NotAllowedError } from '../http/request-errors';
import type { SessionUser } from './sessions';

/**
 * Who may change or delete something: an administrator, or whoever added it. Everyone signed
 * in sees everything, so a refusal (403) reveals nothing a member could not already see.
 */
export function mustBeAllowed(
  actor: SessionUser,
  ownerId: string | null,
  what: 'image' | 'album',
): void {
  if (actor.role !== 'admin' && ownerId !== actor.id) {
    throw new NotAllowedError(`only who added this ${what} or an administrator may change it`);
  }
}
