/**
 * A start-time check of shared secrets (the host app's HS256 session secret). Anyone holding one
 * session token can guess the secret offline, so a secret typed by hand ("x" forty times, a word
 * repeated) signs admin sessions for whoever guesses it. We cannot measure true randomness, only
 * refuse what is plainly not random: the estimate is the string's length times the Shannon entropy
 * of its own character frequencies, and a string that repeats a shorter unit is refused outright.
 * `openssl rand -base64 32` scores about 200 bits; RFC 7518 asks 256 random bits of an HS256 key.
 */

/** Estimated bits a secret must reach (a random 32-byte base64 secret is far above it). */
export const MIN_SECRET_BITS = 128;
export const MIN_SECRET_LENGTH = 32;

/** Length × the entropy of the string's own character distribution, in bits (rounded down). */
export function estimatedSecretBits(secret: string): number {
  const characters = [...secret];
  if (characters.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const character of characters) counts.set(character, (counts.get(character) ?? 0) + 1);
  let perCharacter = 0;
  for (const count of counts.values()) {
    const p = count / characters.length;
    perCharacter -= p * Math.log2(p);
  }
  return Math.floor(perCharacter * characters.length);
}

/** The shortest unit the whole string repeats (`abcabcab` → 3), or its length when none repeats. */
function period(secret: string): number {
  // Knuth–Morris–Pratt failure function: the longest proper border gives the smallest period.
  const failure = new Array<number>(secret.length).fill(0);
  let k = 0;
  for (let i = 1; i < secret.length; i++) {
    while (k > 0 && secret[i] !== secret[k]) k = failure[k - 1]!;
    if (secret[i] === secret[k]) k++;
    failure[i] = k;
  }
  return secret.length - (failure[secret.length - 1] ?? 0);
}

/** Why the secret is too weak to sign sessions, or null when it passes. Never includes the secret. */
export function weakSecretReason(secret: string): string | null {
  if (secret.length < MIN_SECRET_LENGTH) return `is shorter than ${MIN_SECRET_LENGTH} characters`;
  if (period(secret) <= secret.length / 2) return 'repeats the same characters over and over';
  const bits = estimatedSecretBits(secret);
  if (bits < MIN_SECRET_BITS) {
    return `has too little entropy (about ${bits} bits estimated, at least ${MIN_SECRET_BITS} needed)`;
  }
  return null;
}
