import { type ListQuery, listQuerySchema } from '@aihio/actions-core';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { timeSlicer } from '../store/paging';
import { ApiError } from './errors';
import { zodIssues } from './validate';

/**
 * The lists of the dashboard API: `?limit=` (1 … 100) and `?cursor=` (opaque, from the previous
 * page's `nextCursor`), and an answer built without holding the event loop.
 */

export function listQuery(req: Request, defaultLimit: number): ListQuery & { limit: number } {
  const parsed = listQuerySchema.safeParse({
    limit: typeof req.query.limit === 'string' ? req.query.limit : undefined,
    cursor: typeof req.query.cursor === 'string' ? req.query.cursor : undefined,
  });
  if (!parsed.success || Array.isArray(req.query.limit) || Array.isArray(req.query.cursor)) {
    throw new ApiError('invalid_request', {
      message: 'limit must be a whole number from 1 to 100, and cursor the nextCursor of a previous page.',
      ...(parsed.success ? {} : { issues: zodIssues(parsed.error) }),
    });
  }
  return { ...parsed.data, limit: parsed.data.limit ?? defaultLimit };
}

/**
 * `{ "<key>": [...items], "nextCursor": … }`, each item presented, checked against its schema
 * (which strips anything the contract does not name) and serialized on its own, yielding to the
 * event loop every few milliseconds: a page of the largest actions is megabytes of JSON, and
 * built in one go it held every other request of the process (another workspace's invokes
 * included) for tens of milliseconds per list call.
 */
export async function replyList<T, S extends z.ZodType>(
  res: Response,
  key: string,
  items: readonly T[],
  itemSchema: S,
  present: (item: T) => z.input<S>,
  nextCursor: string | null,
): Promise<void> {
  const slice = timeSlicer();
  const parts: string[] = [];
  for (const item of items) {
    await slice();
    parts.push(JSON.stringify(itemSchema.parse(present(item))));
  }
  await slice();
  res
    .status(200)
    .type('application/json')
    .send(`{${JSON.stringify(key)}:[${parts.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`);
}
