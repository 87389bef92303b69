/** Small helpers for the rule tests (on top of test/helpers/estate.ts). */
import type { Rule } from '../../src/engine/types.js';
import type { Permission, PrefixList } from '../../src/snapshot/schema.js';
import { check, region, runRules, settingsWith, sg, snapshot } from '../helpers/estate.js';

/** Tuples of `rule` over one group `sg-1` with these inbound permissions. */
export function onIngress(rule: Rule, ingress: Permission[], prefixLists: PrefixList[] = []) {
  return check(rule, snapshot(region({ groups: [sg('sg-1', { ingress })], prefixLists })));
}

/** Settings with options for one rule. */
export function withOptions(ruleId: string, options: Record<string, unknown>) {
  return settingsWith({ rules: { [ruleId]: { options } } });
}

/** The single finding of `rule` for resource `id` (throws unless exactly one). */
export function findingFor(rule: Rule, snap: Parameters<typeof runRules>[1], id: string, settings?: Parameters<typeof runRules>[2]) {
  const fs = runRules([rule], snap, settings).filter((f) => f.resource.id === id);
  if (fs.length !== 1) throw new Error(`expected one finding for ${id}, got ${fs.length}`);
  return fs[0];
}
