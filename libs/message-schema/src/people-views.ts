import * as z from 'zod';

/** The people who share the gallery, their sessions and invitations, as the API returns them. */

export const ROLES = ['admin', 'member'] as const;
export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

/** Whoever is signed in. */
export const userView = z.object({ id: z.uuid(), username: z.string(), role });
export type UserView = z.infer<typeof userView>;

/** Someone as the administration sees them. */
export const personView = userView.extend({ disabled: z.boolean(), createdAt: z.string() });
export type PersonView = z.infer<typeof personView>;

/** One of one's own sessions: never its token. */
export const sessionView = z.object({
  id: z.uuid(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});
export type SessionView = z.infer<typeof sessionView>;

/** An invitation just made: its token is shown this once. */
export const invitationView = z.object({
  id: z.uuid(),
  token: z.string(),
  role,
  expiresAt: z.string(),
  /** Where the invited person goes, on this site: the token in the fragment, never in a log. */
  path: z.string(),
});
export type InvitationView = z.infer<typeof invitationView>;

/** An invitation still open, as administrators see it: never its token. */
export const pendingInvitationView = z.object({
  id: z.uuid(),
  role,
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type PendingInvitationView = z.infer<typeof pendingInvitationView>;
