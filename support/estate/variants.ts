/**
 * Variants of a generated estate for the benchmarks: the same records with less marked as collected.
 */
import { NETWORK_KINDS, type Snapshot } from '../../src/snapshot/schema.js';

/**
 * The same snapshot, its network kinds not listed as collected in any region (the records kept, so reading
 * and validating it costs the same): internet exposure can then prove no path — the eval benchmark's
 * "without exposure" input.
 */
export function withoutNetworkCollected(snap: Snapshot): Snapshot {
  const network = new Set<string>(NETWORK_KINDS);
  return {
    ...snap,
    regions: snap.regions.map((r) => ({ ...r, collected: r.collected.filter((k) => !network.has(k)) })),
  };
}
