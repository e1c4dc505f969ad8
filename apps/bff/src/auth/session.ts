import { planSchema, type Role, roleSchema } from '@aihio/actions-core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { z } from 'zod';
import { type AuthConfig, SESSION_CLOCK_SKEW_S } from '../config';
import type { SessionContext } from '../http/context';
import { ApiError } from '../http/errors';
import type { Store, WorkspaceRecord } from '../store/types';
import { DEV_SEED, DEV_WORKSPACE_HEADER, devWorkspaceFor } from './dev-seed';

/**
 * Dashboard authentication: the host app's signed session token (`Authorization: Bearer <JWT>`),
 * verified with jose against an HS256 secret or a JWKS. The claims name the user, the workspace
 * (id, name, plan) and the role; the workspace row is upserted from them, so the host app stays
 * the source of truth for plans. In dev mode every request is the seeded demo admin.
 */

const ID = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'visible ASCII');

export const sessionClaimsSchema = z.object({
  sub: ID,
  wid: ID,
  wname: z.string().min(1).max(200).optional(),
  name: z.string().max(200).optional(),
  role: roleSchema,
  plan: planSchema,
  /** Issued at (seconds): orders plan claims, so an older token cannot undo a newer plan. */
  iat: z.number().finite().nonnegative().optional(),
});
export type SessionClaims = z.infer<typeof sessionClaimsSchema>;

const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
];

export type SessionVerifier = (token: string) => Promise<SessionClaims | null>;

export function createSessionVerifier(auth: Extract<AuthConfig, { mode: 'jwt' }>): SessionVerifier {
  const key: Uint8Array | JWTVerifyGetKey = auth.secret
    ? new TextEncoder().encode(auth.secret)
    : createRemoteJWKSet(new URL(auth.jwksUrl!));
  const algorithms = auth.secret ? ['HS256'] : ASYMMETRIC_ALGORITHMS;
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key as Uint8Array, {
        algorithms,
        ...(auth.issuer ? { issuer: auth.issuer } : {}),
        ...(auth.audience ? { audience: auth.audience } : {}),
        requiredClaims: ['exp'],
      });
      const claims = sessionClaimsSchema.safeParse(payload);
      if (!claims.success) return null;
      // jose checks exp and nbf; what a stolen or carelessly minted token could stretch is ours:
      // no session longer than the configured lifetime, and no iat from the future (a token
      // "issued" tomorrow would outrank every real plan change until then).
      const now = Date.now() / 1000;
      const { iat } = claims.data;
      if (iat !== undefined && iat > now + SESSION_CLOCK_SKEW_S) return null;
      if ((payload.exp as number) - (iat ?? now) > auth.maxLifetimeS) return null;
      return claims.data;
    } catch {
      // Expired, wrong signature, wrong issuer: all the same to the caller.
      return null;
    }
  };
}

export function bearerToken(req: Request): string | null {
  return bearerTokenOf(req.headers.authorization);
}

export function bearerTokenOf(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
  return match ? match[1]! : null;
}

async function ensureWorkspace(store: Store, wanted: WorkspaceRecord): Promise<WorkspaceRecord> {
  const current = await store.getWorkspace(wanted.id);
  if (!current || current.name !== wanted.name || current.plan !== wanted.plan) {
    await store.upsertWorkspace(wanted);
  }
  return wanted;
}

export function sessionAuth(deps: { auth: AuthConfig; store: Store }): RequestHandler {
  if (deps.auth.mode === 'dev') {
    return async (req, _res, next) => {
      req.session = {
        kind: 'session',
        userId: DEV_SEED.userId,
        userName: DEV_SEED.userName,
        workspace: await ensureWorkspace(deps.store, devWorkspaceFor(req.get(DEV_WORKSPACE_HEADER))),
        role: DEV_SEED.role,
      };
      next();
    };
  }
  const verify = createSessionVerifier(deps.auth);
  return async (req, _res, next) => {
    const token = bearerToken(req);
    const claims = token ? await verify(token) : null;
    if (!claims) throw new ApiError('unauthenticated');
    req.session = {
      kind: 'session',
      userId: claims.sub,
      userName: claims.name,
      workspace: await ensureWorkspace(deps.store, {
        id: claims.wid,
        name: claims.wname ?? claims.wid,
        plan: claims.plan,
      }),
      role: claims.role,
    };
    next();
  };
}

export function sessionOf(req: Request): SessionContext {
  if (!req.session) throw new ApiError('unauthenticated');
  return req.session;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** Role gate: viewers read, editors and admins write; service keys are admin-only. */
export function requireRole(minimum: Role): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (RANK[sessionOf(req).role] < RANK[minimum]) throw new ApiError('forbidden');
    next();
  };
}
