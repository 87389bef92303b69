/**
 * For rule tests about a finding's own content (message, severity, remediation): the same estate with its
 * network interfaces not collected, so internet exposure is `unknown` and leaves severity and message as the
 * rule states them. Exposure itself is tested in test/rules/exposure.test.ts.
 */
import type { Snapshot } from '../../src/snapshot/schema.js';

export function exposureUnknown(snap: Snapshot): Snapshot {
  for (const r of snap.regions) r.collected = r.collected.filter((k) => k !== 'networkInterfaces');
  return snap;
}
