import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a fresh 96-bit IV per message and the full 128-bit tag, checked on open:
 * node accepts shorter tags unless `authTagLength` is given, and a truncated tag is forgeable.
 */
const ALGORITHM = 'aes-256-gcm';
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Envelope {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): Envelope {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** Returns null when the envelope does not authenticate (wrong key, wrong AAD, any bit changed). */
export function decrypt(key: Buffer, envelope: Envelope, aad: Buffer): Buffer | null {
  if (envelope.iv.length !== IV_BYTES || envelope.tag.length !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, envelope.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(envelope.tag);
    return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict base64url: Buffer.from ignores characters outside the alphabet, which would let a tampered part pass parsing. */
export function fromBase64url(text: string): Buffer | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

export function toBase64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** `<iv>.<ciphertext>.<tag>` */
export function formatEnvelope(envelope: Envelope): string {
  return [envelope.iv, envelope.ciphertext, envelope.tag].map(toBase64url).join('.');
}

export function parseEnvelope(parts: readonly string[]): Envelope | null {
  if (parts.length !== 3) return null;
  const [iv, ciphertext, tag] = parts.map(fromBase64url);
  if (!iv || !ciphertext || !tag) return null;
  return { iv, ciphertext, tag };
}
