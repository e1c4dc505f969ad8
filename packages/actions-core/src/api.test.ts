import { describe, expect, it } from 'vitest';
import { type RunRecord, runListResponseSchema, runRecordSchema } from './api';

const run = {
  id: '42',
  actionId: 'act_1',
  at: '2026-11-20T10:00:00.000Z',
  source: 'agent',
  outcome: 'ok',
  httpStatus: 200,
  durationMs: 12,
  responseBytes: 1024,
} as const;

describe('runRecordSchema: truncated', () => {
  it('keeps the flag a server sends', () => {
    expect(runRecordSchema.parse({ ...run, truncated: true }).truncated).toBe(true);
    expect(runRecordSchema.parse({ ...run, truncated: false }).truncated).toBe(false);
  });

  it('reads a record from a server that predates the flag as not truncated', () => {
    const parsed: RunRecord = runRecordSchema.parse(run);
    expect(parsed).toEqual({ ...run, truncated: false });
    expect(runListResponseSchema.parse({ runs: [run] }).runs[0]?.truncated).toBe(false);
  });

  it('rejects anything but a boolean', () => {
    for (const truncated of ['true', 1, null]) {
      expect(runRecordSchema.safeParse({ ...run, truncated }).success, String(truncated)).toBe(false);
    }
  });
});
