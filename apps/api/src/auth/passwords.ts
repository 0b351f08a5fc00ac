import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/** Argon2id (the library's default algorithm) with its default cost. */
export const hashPassword = (password: string): Promise<string> => hash(password);

export type PasswordVerifier = (passwordHash: string, password: string) => Promise<boolean>;

export const verifyPassword: PasswordVerifier = (passwordHash, password) =>
  verify(passwordHash, password);

/**
 * A hash of a random password, with the same cost as real ones: an unknown user name is
 * verified against it, so that it answers as slowly as a wrong password.
 */
export const createDecoyHash = (): Promise<string> =>
  hashPassword(randomBytes(32).toString('base64url'));
