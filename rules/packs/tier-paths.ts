import type { Rule } from '../lib/index.js';
import { blastRadius } from '../blast-radius.js';
import { tierChainBroken } from '../tier-chain-broken.js';
import { tierSkip } from '../tier-skip.js';

/**
 * Tier paths (issue #13): the tier chain internet → load balancer → web → app → data read from effective paths
 * (src/exposure/lateral.ts), not rule text: intended links broken, tiers skipped, and databases a few steps from the
 * internet.
 */
export const tierPathRules: Rule[] = [tierChainBroken, tierSkip, blastRadius];
