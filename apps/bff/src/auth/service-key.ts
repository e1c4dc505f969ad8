import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from '../http/errors';
import type { Store } from '../store/types';
import { bearerToken } from './session';

/**
 * Agent runtimes authenticate with a per-workspace service key. Only its SHA-256 is stored (a key
 * has 256 random bits, so a fast hash is enough: there is nothing to brute-force), and the key is
 * shown once at creation.
 */

const PREFIX = 'aihio_sk_';

export function generateServiceKey(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashServiceKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function serviceKeyAuth(store: Store): RequestHandler {
  return async (req, _res, next) => {
    const key = bearerToken(req);
    if (!key?.startsWith(PREFIX) || key.length > 128) throw new ApiError('unauthenticated');
    const hash = hashServiceKey(key);
    const record = await store.findServiceKeyByHash(hash);
    // The lookup is by hash; compare again in constant time so the decision never rests on a
    // database collation or index quirk.
    const stored = Buffer.from(record?.keyHash ?? '', 'hex');
    const given = Buffer.from(hash, 'hex');
    if (!record || stored.length !== given.length || !timingSafeEqual(stored, given)) {
      throw new ApiError('unauthenticated');
    }
    const workspace = await store.getWorkspace(record.workspaceId);
    if (!workspace) throw new ApiError('unauthenticated');
    req.agent = { kind: 'agent', workspace, serviceKeyId: record.id };
    next();
  };
}
