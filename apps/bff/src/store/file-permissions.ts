import { chmodSync, closeSync, constants, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The embedded database holds sealed credentials, wrapped data keys and every tenant's actions:
 * only the BFF's own user may read it. The data directory is 0700 and the database file 0600;
 * SQLite creates the `-wal` and `-shm` files with the database file's mode, so they are 0600
 * too. An existing directory or file that is looser (from an older version, or a umask of 022)
 * is tightened; when that is not possible (another user owns it) the start is refused with a
 * message saying what to change, rather than running with a readable database.
 */

export const DATA_DIR_MODE = 0o700;
export const DATABASE_FILE_MODE = 0o600;

export class FilePermissionError extends Error {
  override readonly name = 'FilePermissionError';
}

/** Creates (or tightens) the directory and the file before SQLite opens it. */
export function secureSqliteFile(path: string): void {
  const directory = dirname(path);
  mkdirSync(directory, { recursive: true, mode: DATA_DIR_MODE });
  tighten(directory, DATA_DIR_MODE, 'data directory');
  try {
    // Created here, not by SQLite (which would use 0644 under the usual umask); O_EXCL so an
    // existing file is left to the chmod below.
    closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, DATABASE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  tighten(path, DATABASE_FILE_MODE, 'database file');
  for (const suffix of ['-wal', '-shm', '-journal'])
    tighten(`${path}${suffix}`, DATABASE_FILE_MODE, 'database file');
}

function tighten(path: string, mode: number, what: string): void {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((current & ~mode) === 0) return;
  try {
    chmodSync(path, mode);
  } catch (error) {
    throw new FilePermissionError(
      `The ${what} ${path} is readable by other users (mode ${current.toString(8)}) and could not be ` +
        `restricted to ${mode.toString(8)} (${(error as NodeJS.ErrnoException).code ?? 'error'}). ` +
        `Run: chmod ${mode.toString(8)} ${path} as its owner, or point AIHIO_DATA_DIR elsewhere.`,
    );
  }
}
