import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ApiError } from '../http/errors';
import type { ServiceKeyRecord, Store } from '../store/types';
import { bearerTokenOf } from './session';

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
  // The one-shot form: no Hash object per agent call.
  return hash('sha256', key, 'hex');
}

/** The hash of the request's service key; `unauthenticated` when it has none of the right form. */
export function serviceKeyHashOf(req: Request): string {
  return serviceKeyHashOfHeader(req.headers.authorization);
}

/** The same, from the `Authorization` header's value (the invoke path reads it without Express). */
export function serviceKeyHashOfHeader(authorization: string | undefined): string {
  const key = bearerTokenOf(authorization);
  if (!key?.startsWith(PREFIX) || key.length > 128) throw new ApiError('unauthenticated');
  return hashServiceKey(key);
}

/**
 * The lookup is by hash; compare again in constant time so the decision never rests on a
 * database collation or index quirk. Throws `unauthenticated` unless `record` matches `hash`.
 */
export function checkServiceKey(record: ServiceKeyRecord | null | undefined, hash: string): ServiceKeyRecord {
  const stored = Buffer.from(record?.keyHash ?? '', 'hex');
  const given = Buffer.from(hash, 'hex');
  if (!record || stored.length !== given.length || !timingSafeEqual(stored, given)) {
    throw new ApiError('unauthenticated');
  }
  return record;
}

export function serviceKeyAuth(store: Store): RequestHandler {
  return async (req, _res, next) => {
    const hash = serviceKeyHashOf(req);
    const record = checkServiceKey(await store.findServiceKeyByHash(hash), hash);
    const workspace = await store.getWorkspace(record.workspaceId);
    if (!workspace) throw new ApiError('unauthenticated');
    req.agent = { kind: 'agent', workspace, serviceKeyId: record.id };
    next();
  };
}
