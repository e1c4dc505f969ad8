/**
 * Envelope encryption of secrets (credentials, identity secrets): AES-256-GCM under a keyring.
 * A sealed value is self-describing text `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts),
 * and the additional authenticated data binds it to where it belongs (workspace + action or
 * chatbot + purpose), so a sealed value copied to another row does not open.
 */
export interface Keyring {
  /** Id of the newest key: what `seal` uses. */
  readonly currentKeyId: string;
  seal(plaintext: string, aad: string): Promise<string>;
  /**
   * Throws KeyringError `decrypt_failed` on tampering, a wrong binding or an unknown key id. Async
   * because an unknown key id may be one another instance just rotated in: reload, then decide.
   */
  open(sealed: string, aad: string): Promise<string>;
  /** True when the value was sealed under an older key. */
  isStale(sealed: string): boolean;
}

export type KeyringErrorCode = 'decrypt_failed' | 'invalid_key';

export class KeyringError extends Error {
  override readonly name = 'KeyringError';
  constructor(
    readonly code: KeyringErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The AAD for an action's credential. */
export function credentialAad(workspaceId: string, actionId: string): string {
  return `aihio:credential:v1:${workspaceId}:${actionId}`;
}

/** The AAD for a chatbot's identity-verification secret. */
export function identitySecretAad(workspaceId: string, chatbotId: string): string {
  return `aihio:identity-secret:v1:${workspaceId}:${chatbotId}`;
}
