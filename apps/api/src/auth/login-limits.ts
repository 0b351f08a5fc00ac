/** How often a login may be tried: per client address, and per user name after failures. */
export interface LoginLimits {
  /** Attempts per window from one address, whatever their outcome. */
  perIp: number;
  /** Failed attempts per window for one user name; successful ones do not count. */
  failuresPerUser: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perIp: 10,
  failuresPerUser: 5,
  windowMs: 15 * 60_000,
};
