/**
 * blast-radius (issue #13 "Tier chain"): a data-tier resource within `maxHops` steps of the internet through an
 * interface that is not the intended chain (an exposed bastion, a public instance), with the whole path
 * internet → … → database. The internet leg is the exposure model's (issue #12), the lateral steps the lateral
 * model's (src/exposure/lateral.ts).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../rules/index.js';
import { blastRadius as rule } from '../../rules/blast-radius.js';
import { internetExposure } from '../../rules/internet-exposure.js';
import { parseSettings } from '../../src/config/load.js';
import type { Finding } from '../../src/engine/types.js';
import { loadInputFile } from '../../src/snapshot/load.js';
import type { SecurityGroup } from '../../src/snapshot/schema.js';
import {
  eni,
  instance,
  lbEni,
  listener,
  loadBalancer,
  runRules,
  sg,
  target,
  targetGroup,
  tcp,
  WITHOUT_NETWORK,
} from '../helpers/estate.js';
import { DEMO_ESTATE, RAW_DESCRIBE, tempDir, usageMessage, writeInput } from '../helpers/files.js';
import { ruleTester, withOptions } from '../helpers/rule-tester.js';
import { twoSubnetEstate, type TwoSubnetParts } from '../helpers/two-subnets.js';
import { runCli } from '../helpers/spawn-cli.js';
import { reportOf } from '../report/fixture.js';

const t = ruleTester(rule);

/** vpc-1: a public subnet (subnet-pub, igw-1, allow-all ACL acl-default) and a private one; DB instance `orders`. */
const estate = (p: Omit<TwoSubnetParts, 'instances' | 'net'>) => twoSubnetEstate({ ...p, instances: [ORDERS] });

const ORDERS = instance('orders', ['sg-db'], { tier: 'data' });
/** The RDS interface of `orders` (postgres, 5432) in the private subnet. */
const DB = eni('eni-db', {
  subnetId: 'subnet-priv',
  groups: ['sg-db'],
  privateIp: '10.0.2.50',
  description: 'RDSNetworkInterface',
  requesterManaged: true,
  requesterId: 'amazon-rds',
});
const sgDb = (...ingress: SecurityGroup['ingress']) => sg('sg-db', { tier: 'data', ingress });

/** A public instance (public subnet, public IPv4) and a private one. */
const publicHost = (id: string, groups: string[], instanceId: string, tier?: string) =>
  eni(id, { subnetId: 'subnet-pub', groups, instanceId, publicIp: '198.51.100.7', privateIp: '10.0.1.7', tier });
const privateHost = (id: string, groups: string[], instanceId: string, privateIp: string) =>
  eni(id, { subnetId: 'subnet-priv', groups, instanceId, privateIp });

const BASTION = publicHost('eni-bastion', ['sg-bastion'], 'i-bastion');
const sgBastion = () => sg('sg-bastion', { ingress: [tcp(22, '0.0.0.0/0')] });

/** internet → bastion (SSH open) → jump host (admits SSH from the bastion) → database (admits the jump host). */
const chain3 = () =>
  estate({
    groups: [sgBastion(), sg('sg-jump', { ingress: [tcp(22, 'sg-bastion')] }), sgDb(tcp(5432, 'sg-jump'))],
    enis: [BASTION, privateHost('eni-jump', ['sg-jump'], 'i-jump', '10.0.2.30'), DB],
  });

const hopTypes = (f: Finding) => f.paths?.[0].hops.map((h) => h.type);

t.run({
  valid: [
    {
      name: 'an exposed bastion the database does not admit: contained',
      snapshot: estate({ groups: [sgBastion(), sgDb(tcp(5432, 'sg-app')), sg('sg-app')], enis: [BASTION, DB] }),
      passes: [{ messageId: 'contained', resource: 'orders' }],
    },
    {
      name: 'the bastion admitted on another port than the endpoint port (3306; postgres listens on 5432): contained',
      snapshot: estate({ groups: [sgBastion(), sgDb(tcp(3306, 'sg-bastion'))], enis: [BASTION, DB] }),
      passes: [{ messageId: 'contained', resource: 'orders' }],
    },
    {
      name: 'a public web-tier instance is the intended chain, not a blast radius (a web → data skip is tier-skip’s)',
      snapshot: estate({
        groups: [sg('sg-web', { tier: 'web', ingress: [tcp(443, '0.0.0.0/0')] }), sgDb(tcp(5432, 'sg-web'))],
        enis: [publicHost('eni-web', ['sg-web'], 'i-web'), DB],
      }),
      passes: [{ messageId: 'contained', resource: 'orders' }],
    },
    {
      name: 'an untagged instance reached only through an internet-facing load balancer: the listener is the entry point',
      snapshot: (() => {
        const lb = loadBalancer('front', { groups: ['sg-alb'] });
        const tg = targetGroup('api', { port: 8080, lbs: [lb], targets: [target('i-api')] });
        return estate({
          groups: [
            sg('sg-alb', { ingress: [tcp(443, '0.0.0.0/0')] }),
            sg('sg-api', { ingress: [tcp(8080, 'sg-alb')] }),
            sgDb(tcp(5432, 'sg-api')),
          ],
          enis: [
            lbEni('eni-lb1', lb, { publicIp: '198.51.100.21' }),
            privateHost('eni-api', ['sg-api'], 'i-api', '10.0.2.40'),
            DB,
          ],
          lbs: [lb],
          listeners: [listener(lb, 443, [tg.arn], { protocol: 'HTTPS' })],
          targetGroups: [tg],
        });
      })(),
      passes: [{ messageId: 'contained', resource: 'orders' }],
    },
    {
      name: 'a database that admits an internet-facing load balancer’s group it is no target of: the node is no pivot',
      snapshot: (() => {
        const lb = loadBalancer('front', { groups: ['sg-alb'] });
        return estate({
          groups: [sg('sg-alb', { ingress: [tcp(443, '0.0.0.0/0')] }), sgDb(tcp(5432, 'sg-alb'))],
          enis: [lbEni('eni-lb1', lb, { publicIp: '198.51.100.21' }), DB],
          lbs: [lb],
          listeners: [listener(lb, 443, [], { protocol: 'HTTPS' })],
        });
      })(),
      passes: [{ messageId: 'contained', resource: 'orders' }],
    },
    {
      name: 'a database reachable from the internet itself is internet-exposure’s finding, not a blast radius',
      snapshot: estate({
        groups: [sgDb(tcp(5432, '0.0.0.0/0'))],
        enis: [{ ...DB, subnetId: 'subnet-pub', publicIp: '198.51.100.50' }],
      }),
      passes: [{ messageId: 'contained', resource: 'orders' }],
    },
    {
      name: 'a public database whose own exposure is undecided (unread prefix list): internet-exposure’s error, not this rule’s',
      snapshot: estate({
        groups: [sgDb(tcp(5432, 'pl-1'))],
        enis: [{ ...DB, subnetId: 'subnet-pub', publicIp: '198.51.100.50' }],
        prefixLists: [{ id: 'pl-1', name: 'partners' }],
      }),
      passes: [{ messageId: 'contained', resource: 'orders' }],
    },
    {
      name: 'three steps away (bastion → jump host → database) is beyond the default maxHops 2',
      snapshot: chain3(),
      passes: [{ messageId: 'contained', resource: 'orders' }],
    },
    {
      name: 'without the network kinds (a v1 snapshot, raw input) the rule reports nothing: missing data, never a pass',
      snapshot: estate({
        groups: [sgBastion(), sgDb(tcp(5432, 'sg-bastion'))],
        enis: [BASTION, DB],
        collected: WITHOUT_NETWORK,
      }),
      passes: [],
    },
  ],
  invalid: [
    {
      name: 'an exposed bastion (SSH from anywhere) the database admits is one step from it: high, the whole path',
      snapshot: estate({ groups: [sgBastion(), sgDb(tcp(5432, 'sg-bastion'))], enis: [BASTION, DB] }),
      findings: [
        {
          messageId: 'exposed',
          resource: 'orders',
          severity: 'high',
          message:
            'Data-tier DB instance orders is 2 steps from the internet: eni-bastion (instance i-bastion, untagged), ' +
            'which the internet reaches, can open tcp 5432 to it. Shortest path: from 0.0.0.0/0: igw-1 → rtb-main ' +
            '(0.0.0.0/0) → acl-default inbound rule 100 → acl-default outbound rule 100 → sg-bastion → eni-bastion → ' +
            'sg-bastion egress → acl-default outbound rule 100 → rtb-main (local) → acl-priv inbound rule 100 → ' +
            'sg-db → eni-db (tcp 5432 on the last step).',
          data: {
            resource: 'DB instance orders',
            steps: 2,
            entries: 'eni-bastion (instance i-bastion, untagged)',
            entryCount: 1,
            ports: 'tcp 5432',
            pathCount: 1,
          },
          related: [{ type: 'instance', id: 'i-bastion' }],
          check: (f) => {
            const [p] = f.paths ?? [];
            expect([p.from, p.source, p.target.id, p.steps]).toEqual(['internet', '0.0.0.0/0', 'eni-db', 2]);
            // Internet leg (issue #12), the joining interface, then the lateral step between subnets (issue #13).
            expect(hopTypes(f)).toEqual([
              'internet-gateway',
              'route-table',
              'network-acl',
              'network-acl',
              'security-group',
              'network-interface',
              'security-group',
              'network-acl',
              'route-table',
              'network-acl',
              'security-group',
            ]);
          },
        },
      ],
    },
    {
      name: 'an app-tier server with a public address and SSH open is an exposed interface too',
      snapshot: estate({
        groups: [sg('sg-app', { tier: 'app', ingress: [tcp(22, '0.0.0.0/0')] }), sgDb(tcp(5432, 'sg-app'))],
        enis: [publicHost('eni-app', ['sg-app'], 'i-app', 'app'), DB],
      }),
      findings: [
        {
          messageId: 'exposed',
          resource: 'orders',
          severity: 'high',
          data: { entries: 'eni-app (instance i-app, app tier)' },
        },
      ],
    },
    {
      name: 'maxHops 3: bastion → jump host → database is found, medium (more than 2 steps)',
      snapshot: chain3(),
      settings: withOptions('blast-radius', { maxHops: 3 }),
      findings: [
        {
          messageId: 'exposed',
          resource: 'orders',
          severity: 'medium',
          data: { steps: 3, entries: 'eni-bastion (instance i-bastion, untagged)' },
          check: (f) => {
            const joins = f.paths?.[0].hops.filter((h) => h.type === 'network-interface').map((h) => h.id);
            expect(joins).toEqual(['eni-bastion', 'eni-jump']);
          },
        },
      ],
    },
    {
      name: 'a bastion behind a prefix list whose entries were not read: whether the internet reaches it is unknown',
      snapshot: estate({
        groups: [sg('sg-bastion', { ingress: [tcp(22, 'pl-1')] }), sgDb(tcp(5432, 'sg-bastion'))],
        enis: [BASTION, DB],
        prefixLists: [{ id: 'pl-1', name: 'partners' }],
      }),
      findings: [
        {
          messageId: 'unknown',
          resource: 'orders',
          status: 'error',
          message:
            'Whether data-tier DB instance orders is within 2 steps of the internet is unknown: via eni-bastion: the ' +
            'entries of prefix list pl-1 (sg-bastion permission 0) were not collected.',
        },
      ],
    },
  ],
});

describe('blast-radius', () => {
  it('one problem, one finding: a database exposed itself is internet-exposure’s; a bastion in front, blast-radius’s', () => {
    const failing = (snap: ReturnType<typeof estate>) =>
      runRules([rule, internetExposure], snap)
        .filter((f) => f.status !== 'pass')
        .map((f) => [f.ruleId, f.messageId, f.resource.id]);
    const exposedDb = estate({
      groups: [sgDb(tcp(5432, '0.0.0.0/0'))],
      enis: [{ ...DB, subnetId: 'subnet-pub', publicIp: '198.51.100.50' }],
    });
    expect(failing(exposedDb)).toEqual([['internet-exposure', 'exposed', 'eni-db']]);
    const bastion = estate({ groups: [sgBastion(), sgDb(tcp(5432, 'sg-bastion'))], enis: [BASTION, DB] });
    // The bastion's own SSH exposure is internet-exposure's; what it reaches is blast-radius's.
    expect(failing(bastion).sort()).toEqual([
      ['blast-radius', 'exposed', 'orders'],
      ['internet-exposure', 'exposed', 'eni-bastion'],
    ]);
  });

  it('names the network kinds a v1 snapshot or raw input lacks as missing data, and reports nothing', () => {
    for (const snap of [
      loadInputFile(path.join(path.dirname(DEMO_ESTATE), '../snapshots/demo-v1.json')),
      loadInputFile(RAW_DESCRIBE, { region: 'eu-west-1' }),
    ]) {
      const { report } = reportOf(snap, { rules: [rule] });
      expect(report.rules.find((r) => r.id === 'blast-radius')?.missingData).toContain('routeTables');
      expect(report.findings.filter((f) => f.ruleId === 'blast-radius')).toEqual([]);
    }
  });

  it('maxHops is validated with the settings: an integer from 2 to 4', () => {
    const parse = (maxHops: unknown) =>
      usageMessage(() =>
        parseSettings({ rules: { 'blast-radius': { options: { maxHops } } } }, 'c.yaml', defaultRegistry()),
      );
    expect(parse(1)).toBe('c.yaml: rules.blast-radius.options.maxHops: expected a number >= 2');
    expect(parse(5)).toBe('c.yaml: rules.blast-radius.options.maxHops: expected a number <= 4');
    expect(parse(2.5)).toBe('c.yaml: rules.blast-radius.options.maxHops: expected int, got number');
    expect(parse('2')).toBe('c.yaml: rules.blast-radius.options.maxHops: expected number, got string');
    expect(
      usageMessage(() =>
        parseSettings({ rules: { 'blast-radius': { options: { hops: 2 } } } }, 'c.yaml', defaultRegistry()),
      ),
    ).toBe("c.yaml: rules.blast-radius.options: unknown key 'hops'");
  });

  it('a bad maxHops in the config file: scan exits 2 with one line naming it', () => {
    const dir = tempDir('blast-radius', {
      'sg-audit.config.yaml': 'rules:\n  blast-radius:\n    options:\n      maxHops: 9\n',
    });
    const input = writeInput(dir, 'estate.json', chain3());
    const r = runCli(['scan', '--input', input], { cwd: dir });
    expect([r.code, r.stdout, r.stderr.trim()]).toEqual([
      2,
      '',
      'sg-audit: sg-audit.config.yaml: rules.blast-radius.options.maxHops: expected a number <= 4',
    ]);
  });

  it('is on by default, high, in the tier-paths category, with maxHops 2 by default', () => {
    expect(rule.meta.defaultEnabled).not.toBe(false);
    expect([rule.meta.severity, rule.meta.category]).toEqual(['high', 'tier-paths']);
    expect(rule.options?.parse({})).toEqual({ maxHops: 2 });
    expect(rule.meta.needs).toContain('vpcPeeringConnections');
  });
});
