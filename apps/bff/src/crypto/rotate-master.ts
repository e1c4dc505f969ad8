import type { Store } from '../store/types';
import type { DataKeyring } from './keyring';

export interface MasterRotationCounts {
  /** The (non-secret) id of the master key every data key is wrapped under afterwards. */
  masterKeyId: string;
  /** Data keys in the store at the end. `rewrapped + alreadyCurrent + remaining === total`. */
  total: number;
  /** Re-wrapped under the current master key by this run. */
  rewrapped: number;
  /** Already wrapped under it (before this run, by a concurrent run, or added meanwhile). */
  alreadyCurrent: number;
  /** Changed by someone else while re-wrapping (another rotation): read again in the next pass. */
  conflicts: number;
  /** Opened by neither master key: left as they are. */
  failed: number;
  /** Not under the current master key at the end: AIHIO_MASTER_KEY_PREVIOUS is still needed while above 0. */
  remaining: number;
}

const PASSES = 3;

/**
 * `rotate-keys --master`: re-wraps every data key under the current master key, opening the ones
 * still under AIHIO_MASTER_KEY_PREVIOUS (or in the format before master key ids). The data keys
 * themselves do not change, so no sealed value is touched and instances holding them in memory
 * keep working. Each replacement is a compare-and-set on the old wrapping; a data key another
 * instance adds meanwhile under the previous master key is picked up by the next pass.
 */
export async function rotateMasterKey(
  store: Pick<Store, 'listDataKeys' | 'replaceDataKey'>,
  keyring: DataKeyring,
): Promise<MasterRotationCounts> {
  const counts: MasterRotationCounts = {
    masterKeyId: keyring.masterKeyId,
    total: 0,
    rewrapped: 0,
    alreadyCurrent: 0,
    conflicts: 0,
    failed: 0,
    remaining: 0,
  };
  const failed = new Set<string>();
  for (let pass = 0; pass < PASSES; pass += 1) {
    const pending = (await store.listDataKeys()).filter(
      (record) => !keyring.isWrappedUnderCurrent(record) && !failed.has(`${record.id}:${record.wrapped}`),
    );
    if (pending.length === 0) break;
    for (const record of pending) {
      let next: string;
      try {
        next = keyring.rewrap(record);
      } catch {
        failed.add(`${record.id}:${record.wrapped}`);
        counts.failed += 1;
        continue;
      }
      if (await store.replaceDataKey(record.id, record.wrapped, next)) counts.rewrapped += 1;
      else counts.conflicts += 1;
    }
  }
  const after = await store.listDataKeys();
  counts.total = after.length;
  counts.remaining = after.filter((record) => !keyring.isWrappedUnderCurrent(record)).length;
  counts.alreadyCurrent = Math.max(0, counts.total - counts.rewrapped - counts.remaining);
  await keyring.reload();
  return counts;
}
