/**
 * The explicit rule registry: every rule sg-audit ships, in report order (reports sort findings by this
 * order first). Each pack in rules/packs/ lists its own rules; `npm run new-rule` appends to a pack.
 */
import { RuleRegistry } from '../src/engine/registry.js';
import type { Rule } from './lib/index.js';
import { appTierRules } from './packs/app-tier.js';
import { hygieneRules } from './packs/hygiene.js';
import { leastPrivilegeRules } from './packs/least-privilege.js';
import { rdsRules } from './packs/rds.js';
import { tierRules } from './packs/tier.js';
import { tierPathRules } from './packs/tier-paths.js';

export const allRules: Rule[] = [
  ...tierRules,
  ...tierPathRules,
  ...leastPrivilegeRules,
  ...appTierRules,
  ...rdsRules,
  ...hygieneRules,
];

export function defaultRegistry(): RuleRegistry {
  return new RuleRegistry(allRules);
}
