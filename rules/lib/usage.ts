/**
 * Whether groups and VPCs are in use, and what evidence a scope holds to decide it. A decision needs the
 * network interfaces of the account-region: every EC2 instance, Lambda function in a VPC, ECS task,
 * load balancer node and RDS instance has one.
 */
import type { GroupNode, Scope } from '../../src/graph/model.js';
import type { ResourceKind } from '../../src/snapshot/schema.js';
import { KIND_LABELS } from './resources.js';

/** Attachment kinds that show a group in use; networkInterfaces is required, the rest only add evidence. */
export const USAGE_KINDS: ResourceKind[] = ['networkInterfaces', 'loadBalancers', 'dbClusters', 'dbInstances'];

/** Can usage be decided in this scope (network interfaces collected)? */
export function usageKnown(scope: Scope): boolean {
  return scope.collected.has('networkInterfaces');
}

/** `network interfaces, load balancers, DB clusters, DB instances`: what was actually checked. */
export function checkedKinds(scope: Scope): string {
  let s = checkedCache.get(scope);
  if (s === undefined) {
    s = USAGE_KINDS.filter((k) => scope.collected.has(k))
      .map((k) => KIND_LABELS[k])
      .join(', ');
    checkedCache.set(scope, s);
  }
  return s;
}
const checkedCache = new WeakMap<Scope, string>();

/** Is `g` referenced by a rule entry of another group? (`referencesFromOthers(g) > 0` without the full count.) */
export function referencedByOthers(g: GroupNode): boolean {
  for (const e of g.referencedBy) if (e.group !== g) return true;
  return false;
}

/** How many rule entries of other groups reference `g` (a group referencing itself does not keep it in use). */
export function referencesFromOthers(g: GroupNode): number {
  let n = 0;
  for (const e of g.referencedBy) if (e.group !== g) n++;
  return n;
}

const vpcCache = new WeakMap<Scope, Set<string>>();

/** VPCs of a scope that have at least one network interface, load balancer or database. */
export function vpcsInUse(scope: Scope): Set<string> {
  let set = vpcCache.get(scope);
  if (!set) {
    set = new Set<string>();
    for (const n of scope.networkInterfaces) {
      if (n.eni.vpcId) set.add(n.eni.vpcId);
      for (const g of n.groups) if (g.vpcId) set.add(g.vpcId);
    }
    for (const lb of scope.loadBalancers) if (lb.lb.vpcId) set.add(lb.lb.vpcId);
    for (const db of [...scope.dbClusters, ...scope.dbInstances])
      for (const g of db.groups) if (g.vpcId) set.add(g.vpcId);
    vpcCache.set(scope, set);
  }
  return set;
}
