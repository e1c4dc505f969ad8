import type { Issue, IssueCode } from '@aihio/actions-core';
import type { Response } from 'express';
import type { z } from 'zod';
import { ApiError } from './errors';

/**
 * Requests are parsed with the core schemas (a bad shape is `invalid_request` with the problems
 * as issues), and responses go out through the core schemas too: parsing strips any field the
 * contract does not name, so a stored secret can never ride along by accident.
 */

function issueCode(issue: z.core.$ZodIssue): IssueCode {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : 'invalid_type';
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'set' ? 'too_many' : 'too_long';
    case 'too_small':
      return 'required';
    default:
      return 'invalid_type';
  }
}

export function zodIssues(error: z.ZodError, prefix: (string | number)[] = []): Issue[] {
  return error.issues.map((issue) => ({
    code: issueCode(issue),
    path: [...prefix, ...issue.path.filter((part): part is string | number => typeof part !== 'symbol')],
    message: issue.message,
  }));
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    const first = issues[0];
    const where = first && first.path.length > 0 ? ` (${first.path.join('.')}: ${first.message})` : '';
    throw new ApiError('invalid_request', {
      message: `The request body does not have the expected shape${where}.`,
      issues,
    });
  }
  return parsed.data;
}

export function reply<S extends z.ZodType>(res: Response, status: number, schema: S, body: z.input<S>): void {
  res.status(status).json(schema.parse(body));
}
