import axe from 'axe-core';

/** axe-core's violations in `root` as short strings, so a failing assertion says what and where. */
export async function axeViolations(root: Element = document.body): Promise<string[]> {
  const results = await axe.run(root, { resultTypes: ['violations'] });
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
  );
}
