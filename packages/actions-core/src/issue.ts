import type { Issue, IssueCode } from './errors';

export type IssuePath = Issue['path'];

export function issue(code: IssueCode, path: IssuePath, message: string): Issue {
  return { code, path, message };
}
