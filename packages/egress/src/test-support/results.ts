import type { EgressResult } from '../egress';

/** The response of a call that must have produced one; fails the test with the code otherwise. */
export function expectOk(result: EgressResult) {
  if (!result.ok) throw new Error(`expected a response, got ${result.code}: ${result.message}`);
  return result;
}

/** The coded failure of a call that must have failed. */
export function expectFailure(result: EgressResult) {
  if (result.ok) throw new Error(`expected a failure, got status ${result.status}`);
  return result;
}
