import { describe, expect, it } from 'vitest';
import { allRules } from '../../../rules/index.js';
import { appTierRules } from '../../../rules/packs/app-tier.js';
import { hygieneRules } from '../../../rules/packs/hygiene.js';
import { leastPrivilegeRules as exposureRules } from '../../../rules/packs/least-privilege.js';
import { rdsRules } from '../../../rules/packs/rds.js';
import { tierRules } from '../../../rules/packs/tier.js';
import { tierPathRules } from '../../../rules/packs/tier-paths.js';
import { defaultSettings } from '../../../src/config/schema.js';
import { RuleRegistry } from '../../../src/engine/registry.js';
import {
  acl,
  all,
  eni,
  instance,
  lb,
  lbEni,
  listener,
  loadBalancer,
  network,
  publicSubnet,
  region,
  routeTable,
  runRules,
  sg,
  snapshot,
  subnet,
  target,
  targetGroup,
  tcp,
} from '../../helpers/estate.js';

/** The rules of the old least-privilege pack (issue #4), now split by what they hold, in the same order. */
const leastPrivilegeRules = [...exposureRules, ...appTierRules, ...rdsRules, ...hygieneRules];
const enabled = new RuleRegistry(leastPrivilegeRules).select(defaultSettings());

/** ALB → web → app → database, linked by group references (limit-network-access reference architecture). */
function referenceArchitecture() {
  return snapshot(
    region({
      groups: [
        sg('sg-def', { name: 'default', egress: [] }),
        sg('sg-alb', { tier: 'lb', ingress: [tcp(80, '0.0.0.0/0', '::/0'), tcp(443, '0.0.0.0/0', '::/0')] }),
        sg('sg-web', { tier: 'web', ingress: [tcp(443, 'sg-alb')] }),
        sg('sg-app', { tier: 'app', ingress: [tcp(8080, 'sg-web'), all('sg-app')] }),
        sg('sg-db', { tier: 'data', ingress: [tcp(5432, 'sg-app')] }),
      ],
      lbs: [lb('alb', ['sg-alb'])],
      enis: [eni('eni-web', ['sg-web']), eni('eni-app', ['sg-app'])],
      instances: [instance('orders', ['sg-db'])],
    }),
  );
}

/** The rules sg-audit shipped when the packs were split, in registry order. */
const SHIPPED = [
  ...['data-tier-sg', 'web-tier-sg', 'aurora-sg', 'rds-public-world-open', 'world-open-all-traffic'],
  ...['world-open-admin-ports', 'world-open-database-ports', 'world-open-high-risk-ports', 'restricted-common-ports'],
  ...['world-open-unauthorized-ports', 'wide-public-cidr-ingress', 'public-address-ingress', 'world-open-icmp'],
  ...['world-open-egress', 'app-tier-from-web-only', 'rds-storage-encrypted', 'default-sg-has-rules'],
  ...['default-sg-in-use', 'unused-sg', 'launch-wizard-sg', 'sg-rule-count', 'sg-count-per-region'],
];

describe('packs', () => {
  it('keep the report order of the registry (findings sort by it: the golden reports depend on it)', () => {
    // New rules may go anywhere; the shipped ones keep their relative order.
    const shipped = new Set(SHIPPED);
    expect(allRules.map((r) => r.meta.id).filter((id) => shipped.has(id))).toEqual(SHIPPED);
    expect(allRules).toEqual([...tierRules, ...tierPathRules, ...leastPrivilegeRules]);
  });
});

describe('least-privilege, app-tier, rds and hygiene packs', () => {
  it('has unique kebab-case ids; egress is the only opt-in rule', () => {
    const ids = leastPrivilegeRules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(leastPrivilegeRules.filter((r) => r.meta.defaultEnabled === false).map((r) => r.meta.id)).toEqual([
      'world-open-egress',
    ]);
  });

  it('declares the resource kinds each rule reads', () => {
    const needs = Object.fromEntries(leastPrivilegeRules.map((r) => [r.meta.id, [...r.meta.needs].sort()]));
    expect(needs['unused-sg']).toEqual([
      'dbClusters',
      'dbInstances',
      'loadBalancers',
      'networkInterfaces',
      'securityGroups',
    ]);
    expect(needs['default-sg-in-use']).toEqual([
      'dbClusters',
      'dbInstances',
      'loadBalancers',
      'networkInterfaces',
      'securityGroups',
    ]);
    expect(needs['wide-public-cidr-ingress']).toEqual(['loadBalancers', 'prefixLists', 'securityGroups']);
    expect(needs['rds-public-world-open']).toEqual(['dbClusters', 'dbInstances', 'prefixLists', 'securityGroups']);
    expect(needs['rds-storage-encrypted']).toEqual(['dbClusters', 'dbInstances']);
    // A prefix list holding 0.0.0.0/0 is the world (issue #10): the world-open rules read prefix-list entries.
    expect(needs['world-open-all-traffic']).toEqual(['prefixLists', 'securityGroups']);
    expect(needs['world-open-admin-ports']).toEqual(['loadBalancers', 'prefixLists', 'securityGroups']);
  });

  it('the layered reference architecture passes every default rule, with passes recorded', () => {
    const findings = runRules(enabled, referenceArchitecture());
    expect(findings.filter((f) => f.status !== 'pass').map((f) => [f.ruleId, f.resource.id, f.message])).toEqual([]);
    // Every rule evaluated something (no silent rule).
    expect(new Set(findings.map((f) => f.ruleId))).toEqual(new Set(enabled.map((r) => r.meta.id)));
  });

  it('an internet-facing load balancer opening 80/443 to the world raises nothing (Prowler #386/#2107/#5172, ScoutSuite #770)', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-alb', { ingress: [tcp(80, '0.0.0.0/0', '::/0'), tcp(443, '0.0.0.0/0', '::/0')] })],
        lbs: [lb('alb', ['sg-alb'])],
      }),
    );
    expect(runRules(enabled, snap).filter((f) => f.status !== 'pass')).toEqual([]);
  });

  it('a world-open SSH rule is one finding per rule that covers it, never one per source or permission', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0', '::/0'), tcp([20, 23], '0.0.0.0/0')] })],
        enis: [eni('eni-1', ['sg-1'])],
      }),
    );
    const fails = runRules(enabled, snap).filter((f) => f.status === 'fail');
    expect(fails.map((f) => [f.ruleId, f.resource.id]).sort()).toEqual([
      ['restricted-common-ports', 'sg-1'],
      ['world-open-admin-ports', 'sg-1'],
      ['world-open-high-risk-ports', 'sg-1'],
      ['world-open-unauthorized-ports', 'sg-1'],
    ]);
  });
});

describe('tier-paths pack', () => {
  /**
   * The reference architecture with its network: an internet-facing ALB in a public subnet forwarding 443 to the
   * web tier, web → app on 8080, app → the orders database on 5432, each tier in its own private subnet (one
   * allow-all ACL each, so every step crosses two ACLs), AWS's default egress everywhere.
   */
  function withNetwork() {
    const alb = loadBalancer('alb', { groups: ['sg-alb'], tier: 'lb' });
    const tg = targetGroup('web', { port: 443, protocol: 'HTTPS', lbs: [alb], targets: [target('i-web')] });
    const privateSubnet = (id: string, cidr: string) => ({
      subnets: [subnet(id, { cidr })],
      routeTables: [routeTable(`rtb-${id}`, { subnetIds: [id] })],
      networkAcls: [acl(`acl-${id}`, { subnetIds: [id], isDefault: false })],
    });
    const host = (id: string, groups: string[], instanceId: string, subnetId: string, privateIp: string) =>
      eni(id, { subnetId, groups, instanceId, privateIp });
    return snapshot(
      region({
        groups: [
          sg('sg-alb', { tier: 'lb', ingress: [tcp(443, '0.0.0.0/0')] }),
          sg('sg-web', { tier: 'web', ingress: [tcp(443, 'sg-alb')] }),
          sg('sg-app', { tier: 'app', ingress: [tcp(8080, 'sg-web')] }),
          sg('sg-db', { tier: 'data', ingress: [tcp(5432, 'sg-app')] }),
        ],
        lbs: [alb],
        enis: [
          lbEni('eni-lb1', alb, { publicIp: '198.51.100.21' }),
          host('eni-web', ['sg-web'], 'i-web', 'subnet-web', '10.0.11.10'),
          host('eni-app', ['sg-app'], 'i-app', 'subnet-app', '10.0.12.10'),
          eni('eni-db', {
            subnetId: 'subnet-data',
            groups: ['sg-db'],
            privateIp: '10.0.13.50',
            description: 'RDSNetworkInterface',
            requesterManaged: true,
            requesterId: 'amazon-rds',
          }),
        ],
        instances: [instance('orders', ['sg-db'], { tier: 'data' })],
        ...network(
          publicSubnet(),
          privateSubnet('subnet-web', '10.0.11.0/24'),
          privateSubnet('subnet-app', '10.0.12.0/24'),
          privateSubnet('subnet-data', '10.0.13.0/24'),
          { listeners: [listener(alb, 443, [tg.arn], { protocol: 'HTTPS' })], targetGroups: [tg] },
        ),
      }),
    );
  }

  it('the layered reference architecture with its network passes every tier-paths rule, each with passes', () => {
    const findings = runRules(tierPathRules, withNetwork());
    expect(findings.filter((f) => f.status !== 'pass').map((f) => [f.ruleId, f.resource.id, f.message])).toEqual([]);
    expect(new Set(findings.map((f) => f.ruleId))).toEqual(new Set(tierPathRules.map((r) => r.meta.id)));
  });

  it('the same estate with the web tier admitted to the database: one tier skip, nothing else', () => {
    const snap = withNetwork();
    snap.regions[0].securityGroups.find((g) => g.groupId === 'sg-db')!.ingress.push(tcp(5432, 'sg-web'));
    const fails = runRules(tierPathRules, snap).filter((f) => f.status !== 'pass');
    expect(fails.map((f) => [f.ruleId, f.messageId, f.resource.id])).toEqual([['tier-skip', 'dataSkip', 'orders']]);
  });
});
