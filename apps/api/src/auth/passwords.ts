import { hash, verify } from '@node-rs/argon2';

/** Argon2id (the library's default algorithm) with its default cost. */
export const hashPassword = (password: string): Promise<string> => hash(password);

export const verifyPassword = (passwordHash: string, password: string): Promise<boolean> =>
  verify(passwordHash, password);

let decoy: Promise<string> | undefined;

/**
 * Spends the time of one verification against a throwaway hash, so that an unknown user
 * name answers as slowly as a wrong password.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword('decoy password that matches nothing');
  await verify(await decoy, password);
  return false;
}
