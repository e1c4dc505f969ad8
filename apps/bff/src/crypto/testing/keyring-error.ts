import { KeyringError } from '../types';

/** The KeyringError a call rejects with; fails the test if it succeeds or rejects otherwise. */
export async function keyringError(promise: Promise<unknown>): Promise<KeyringError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeyringError) return error;
    throw error;
  }
  throw new Error('expected a KeyringError, the call succeeded');
}
