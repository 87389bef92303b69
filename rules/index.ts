/**
 * The explicit rule registry: every rule sg-audit ships, in report order. Packs list their own rules.
 */
import { RuleRegistry } from '../src/engine/registry.js';
import type { Rule } from '../src/engine/types.js';
import { tierRules } from './tier-pack.js';
import { leastPrivilegeRules } from './least-privilege-pack.js';

export const allRules: Rule[] = [...tierRules, ...leastPrivilegeRules];

export function defaultRegistry(): RuleRegistry {
  return new RuleRegistry(allRules);
}
