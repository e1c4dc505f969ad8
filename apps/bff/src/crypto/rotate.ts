import type { SealedRef, Store } from '../store/types';
import type { DataKeyring } from './keyring';
import { credentialAad, identitySecretAad } from './types';

export interface RotationCounts {
  /** The key everything is sealed under afterwards. */
  keyId: string;
  /** Sealed values found. */
  total: number;
  /** Re-encrypted under `keyId`. */
  rotated: number;
  /** Changed by someone else while rotating; their new value was then rotated if still stale. */
  conflicts: number;
  /** Could not be opened (tampered or swapped rows): left as they are. */
  failed: number;
}

export function aadOf(ref: Pick<SealedRef, 'table' | 'id' | 'workspaceId'>): string {
  return ref.table === 'actions'
    ? credentialAad(ref.workspaceId, ref.id)
    : identitySecretAad(ref.workspaceId, ref.id);
}

const PASSES = 3;

/**
 * Adds a new data key and re-encrypts every sealed value under it. Each replacement is a
 * compare-and-set on the old sealed text, so a credential set meanwhile is never overwritten by
 * its older value; values written meanwhile under an older key are picked up by another pass.
 * Old keys stay in the keyring so anything not rotated (failed) still opens where it did.
 */
export async function rotateKeys(store: Store, keyring: DataKeyring): Promise<RotationCounts> {
  const keyId = await keyring.createKey();
  const counts: RotationCounts = { keyId, total: 0, rotated: 0, conflicts: 0, failed: 0 };
  const failed = new Set<string>();
  for (let pass = 0; pass < PASSES; pass += 1) {
    const refs = await store.listSealed();
    if (pass === 0) counts.total = refs.length;
    const stale = refs.filter(
      (ref) => ref.sealed.split('.')[1] !== keyId && !failed.has(`${ref.table}:${ref.id}:${ref.sealed}`),
    );
    if (stale.length === 0) break;
    for (const ref of stale) {
      const aad = aadOf(ref);
      let plaintext: string;
      try {
        plaintext = await keyring.open(ref.sealed, aad);
      } catch {
        failed.add(`${ref.table}:${ref.id}:${ref.sealed}`);
        counts.failed += 1;
        continue;
      }
      const next = await keyring.seal(plaintext, aad);
      if (await store.replaceSealed(ref, ref.sealed, next)) counts.rotated += 1;
      else counts.conflicts += 1;
    }
  }
  return counts;
}
