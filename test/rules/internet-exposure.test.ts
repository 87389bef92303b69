/**
 * internet-exposure: a finding per network interface the internet reaches (issue #12 "The model": public address,
 * route to an internet gateway, network ACL both ways, an admitting security group), except on the listener ports
 * of the internet-facing load balancer it belongs to. AWS semantics cited where a case relies on them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { internetExposure as rule } from '../../rules/internet-exposure.js';
import { exitCodeFor } from '../../src/gate/gate.js';
import { loadInputFile } from '../../src/snapshot/load.js';
import type {
  Listener,
  LoadBalancer,
  NetworkInterface,
  SecurityGroup,
  TargetGroup,
} from '../../src/snapshot/schema.js';
import {
  acl,
  ACCOUNT,
  all,
  collectedExcept,
  eni,
  instance,
  lbEni,
  listener,
  loadBalancer,
  network,
  publicSubnet,
  region,
  REGION,
  route,
  routeTable,
  sg,
  snapshot,
  subnet,
  target,
  targetGroup,
  tcp,
  udp,
  WITHOUT_NETWORK,
  type Network,
} from '../helpers/estate.js';
import { DEMO_ESTATE, RAW_DESCRIBE } from '../helpers/files.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { reportOf } from '../report/fixture.js';

const t = ruleTester(rule);

/** A private subnet of vpc-1: its own route table sends 0.0.0.0/0 to a NAT gateway, never to the igw. */
const PRIVATE: Network = {
  subnets: [subnet('subnet-priv', { cidr: '10.0.2.0/24' })],
  routeTables: [routeTable('rtb-priv', { subnetIds: ['subnet-priv'], routes: [route('0.0.0.0/0', 'nat-1')] })],
  networkAcls: [acl('acl-priv', { subnetIds: ['subnet-priv'], isDefault: false })],
};

type RegionParts = NonNullable<Parameters<typeof region>[0]>;

interface Parts {
  groups: SecurityGroup[];
  enis: NetworkInterface[];
  lbs?: LoadBalancer[];
  listeners?: Listener[];
  targetGroups?: TargetGroup[];
  instances?: RegionParts['instances'];
  prefixLists?: RegionParts['prefixLists'];
  collected?: RegionParts['collected'];
}

/** One region: a public subnet (subnet-pub, igw-1, main table 0.0.0.0/0 → igw-1, allow-all ACL) and a private one. */
function estate(p: Parts) {
  const net = network(publicSubnet(), PRIVATE, { listeners: p.listeners ?? [], targetGroups: p.targetGroups ?? [] });
  return snapshot(
    region({
      groups: p.groups,
      enis: p.enis,
      lbs: p.lbs,
      instances: p.instances,
      prefixLists: p.prefixLists,
      collected: p.collected,
      ...net,
    }),
  );
}

/** An instance's interface in the public subnet with a public IPv4 (auto-assigned or an Elastic IP). */
const publicEni = (id: string, groups: string[], instanceId = 'i-1', publicIp = '198.51.100.10') =>
  eni(id, { subnetId: 'subnet-pub', groups, publicIp, instanceId });

const revoke = (group: string, json: string) =>
  `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id ${group} --ip-permissions '${json}'`;

const SSH_WORLD = '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]';

/** An internet-facing ALB `web` (sg-alb admits 443 from anywhere) with two nodes and a 443 listener to `tg`. */
const alb = loadBalancer('web', { groups: ['sg-alb'] });
const tg = targetGroup('app', { port: 8080, lbs: [alb], targets: [target('i-2')] });
const albParts = (albIngress = [tcp(443, '0.0.0.0/0')]): Parts => ({
  groups: [sg('sg-alb', { ingress: albIngress }), sg('sg-app', { ingress: [tcp(8080, 'sg-alb')] })],
  enis: [
    // Listed out of order: the load balancer's finding names its lowest node id.
    lbEni('eni-lb2', alb, { publicIp: '198.51.100.22' }),
    lbEni('eni-lb1', alb, { publicIp: '198.51.100.21' }),
    // The target: a private instance (no public address, private subnet).
    eni('eni-app', { subnetId: 'subnet-priv', groups: ['sg-app'], instanceId: 'i-2', privateIp: '10.0.2.20' }),
  ],
  lbs: [alb],
  listeners: [listener(alb, 443, [tg.arn], { protocol: 'HTTPS' })],
  targetGroups: [tg],
});

/** An internet-facing NLB without security groups (client IPs preserved for instance targets) forwarding 80 → 8080. */
const nlb = loadBalancer('edge', { type: 'network' });
const ntg = targetGroup('edge-app', { port: 8080, protocol: 'TCP', lbs: [nlb], targets: [target('i-3')] });
const nlbParts = (targetEni: NetworkInterface): Parts => ({
  // Client IP preservation: the target's group must admit the clients themselves
  // (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation).
  groups: [sg('sg-t', { ingress: [tcp(8080, '0.0.0.0/0')] })],
  enis: [lbEni('eni-nlb1', nlb, { publicIp: '198.51.100.31' }), targetEni],
  lbs: [nlb],
  listeners: [listener(nlb, 80, [ntg.arn])],
  targetGroups: [ntg],
});

/** An internal ALB (not an internet entry point) and an internet-facing NLB with a group (DNS over UDP). */
const internal = loadBalancer('int', { scheme: 'internal', groups: ['sg-int'] });
const dns = loadBalancer('dns', { type: 'network', groups: ['sg-dns'], lbId: 'aaaaaaaaaaaaaaaa' });

t.run({
  valid: [
    {
      name: 'an instance in a private subnet (0.0.0.0/0 → NAT, no internet gateway route) passes, even with an EIP',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })],
        enis: [
          eni('eni-1', { subnetId: 'subnet-priv', groups: ['sg-1'], publicIp: '198.51.100.10', instanceId: 'i-1' }),
        ],
      }),
      passes: [{ messageId: 'notReachable', resource: 'eni-1' }],
    },
    {
      name: 'an instance in the public subnet without a public IPv4 passes',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })],
        enis: [eni('eni-1', { subnetId: 'subnet-pub', groups: ['sg-1'], instanceId: 'i-1' })],
      }),
      passes: [{ messageId: 'notReachable', resource: 'eni-1' }],
    },
    {
      name: 'a public instance whose groups admit only private ranges and groups passes',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(22, '10.0.0.0/8'), tcp(8080, 'sg-2')] }), sg('sg-2')],
        enis: [publicEni('eni-1', ['sg-1'])],
      }),
      passes: [{ messageId: 'notReachable', resource: 'eni-1' }],
    },
    {
      name: 'an internet-facing ALB reachable on its listener port passes, once for the load balancer; its target reached only through it passes',
      snapshot: estate(albParts()),
      passes: [
        { messageId: 'listenersOnly', resource: 'eni-lb1' },
        { messageId: 'viaLoadBalancer', resource: 'eni-app' },
      ],
      check: (fs) => {
        const lb = fs.find((f) => f.messageId === 'listenersOnly')!;
        expect(lb.resource).toEqual({ type: 'network-interface', id: 'eni-lb1', name: 'web' });
        expect(lb.message).toBe(
          'Internet-facing load balancer web (eni-lb1, eni-lb2) is reachable from the internet only on its listener ' +
            'ports (HTTPS 443).',
        );
        expect(fs.find((f) => f.messageId === 'viaLoadBalancer')!.message).toBe(
          'Network interface eni-app (instance i-2) is reachable from the internet only through load balancer(s) ' +
            'web, on their listener ports.',
        );
      },
    },
    {
      name: 'an NLB instance target that sees client IPs (its group admits 0.0.0.0/0 on 8080) passes when it has no path of its own: the NLB listener is the entry point',
      snapshot: estate(
        nlbParts(
          eni('eni-t', { subnetId: 'subnet-priv', groups: ['sg-t'], instanceId: 'i-3', privateIp: '10.0.2.30' }),
        ),
      ),
      passes: [
        { messageId: 'listenersOnly', resource: 'eni-nlb1' },
        { messageId: 'viaLoadBalancer', resource: 'eni-t' },
      ],
    },
    {
      name: 'an internal load balancer is no entry point: its nodes are judged one by one (no public address: pass)',
      snapshot: estate({
        groups: [sg('sg-int', { ingress: [tcp(443, '0.0.0.0/0')] })],
        enis: [lbEni('eni-i1', internal), lbEni('eni-i2', internal)],
        lbs: [internal],
        listeners: [listener(internal, 443)],
      }),
      passes: [
        { messageId: 'notReachable', resource: 'eni-i1' },
        { messageId: 'notReachable', resource: 'eni-i2' },
      ],
    },
    {
      name: 'without the network kinds (a v1 snapshot, raw input) the rule reports nothing: missing data, never a pass',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })],
        enis: [publicEni('eni-1', ['sg-1'])],
        collected: WITHOUT_NETWORK,
      }),
      passes: [],
    },
    {
      name: 'listeners not collected: nothing reported either (whether a port is a listener is unknown)',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })],
        enis: [publicEni('eni-1', ['sg-1'])],
        collected: collectedExcept('listeners'),
      }),
      passes: [],
    },
  ],
  invalid: [
    {
      name: 'a public instance open to SSH from anywhere is critical, with its path and the revoke command',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })],
        enis: [publicEni('eni-1', ['sg-1'])],
      }),
      findings: [
        {
          messageId: 'exposed',
          resource: 'eni-1',
          severity: 'critical',
          message:
            'Network interface eni-1 (instance i-1) is reachable from the internet on tcp 22 from 0.0.0.0/0 (through ' +
            'igw-1, admitted by sg-1).',
          data: {
            protocol: 'tcp',
            ports: 'tcp 22',
            source: '0.0.0.0/0',
            path: 'igw-1 → rtb-main (0.0.0.0/0) → acl-default inbound rule 100 → acl-default outbound rule 100 → sg-1 → eni-1',
          },
          related: [{ type: 'instance', id: 'i-1' }],
          remediation: [revoke('sg-1', SSH_WORLD)],
          check: (f) => {
            expect(f.resource).toEqual({ type: 'network-interface', id: 'eni-1', name: 'i-1' });
            expect(f.exposure?.status).toBe('reachable');
            expect(f.exposure?.paths.map((p) => [p.target.id, p.protocol, p.ports, p.source])).toEqual([
              ['eni-1', 'tcp', [[22, 22]], '0.0.0.0/0'],
            ]);
          },
        },
      ],
    },
    {
      name: 'five paths: the finding keeps the first three, counts them all and names the paths command that lists all',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [8080, 443, 22, 3389, 80].map((p) => tcp(p, '0.0.0.0/0')) })],
        enis: [publicEni('eni-1', ['sg-1'])],
      }),
      findings: [
        {
          messageId: 'exposed',
          resource: 'eni-1',
          severity: 'critical',
          message:
            'Network interface eni-1 (instance i-1) is reachable from the internet on tcp 22 from 0.0.0.0/0, tcp 80 ' +
            'from 0.0.0.0/0, tcp 443 from 0.0.0.0/0, tcp 3389 from 0.0.0.0/0, tcp 8080 from 0.0.0.0/0 (through ' +
            'igw-1, admitted by sg-1). 5 paths; `sg-audit paths --to eni-1` lists all.',
          check: (f) => {
            // Model order (protocol, first port); the remediation still revokes all five entries (paths beyond the
            // first three included).
            expect(f.exposure?.paths.map((p) => p.ports)).toEqual([[[22, 22]], [[80, 80]], [[443, 443]]]);
            expect(f.exposure?.pathCount).toBe(5);
            for (const port of [22, 80, 443, 3389, 8080]) expect(f.remediation.join()).toContain(`"FromPort":${port},`);
          },
        },
      ],
    },
    {
      name: 'a public instance open on tcp 8080 is high',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(8080, '0.0.0.0/0')] })],
        enis: [publicEni('eni-1', ['sg-1'])],
      }),
      findings: [{ messageId: 'exposed', resource: 'eni-1', severity: 'high', data: { ports: 'tcp 8080' } }],
    },
    {
      name: 'a database port open on a public instance is critical (the default ports of world-open-database-ports)',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(6379, '0.0.0.0/0')] })],
        enis: [publicEni('eni-1', ['sg-1'])],
      }),
      findings: [{ messageId: 'exposed', resource: 'eni-1', severity: 'critical' }],
    },
    {
      name: 'every ENI is its own finding: two public interfaces of one instance give two findings',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(8080, '0.0.0.0/0')] })],
        enis: [publicEni('eni-1', ['sg-1']), publicEni('eni-2', ['sg-1'], 'i-1', '198.51.100.11')],
      }),
      findings: [
        { messageId: 'exposed', resource: 'eni-1', related: [{ type: 'instance', id: 'i-1' }] },
        { messageId: 'exposed', resource: 'eni-2', related: [{ type: 'instance', id: 'i-1' }] },
      ],
    },
    {
      name: 'an NLB target that also has a public address of its own is a finding on the target port',
      snapshot: estate(nlbParts(publicEni('eni-t', ['sg-t'], 'i-3'))),
      passes: [{ messageId: 'listenersOnly', resource: 'eni-nlb1' }],
      findings: [{ messageId: 'exposed', resource: 'eni-t', severity: 'high', data: { ports: 'tcp 8080' } }],
    },
    {
      name: 'an internet-facing ALB whose group also admits SSH is one critical finding for the load balancer',
      snapshot: estate(albParts([tcp(443, '0.0.0.0/0'), tcp(22, '0.0.0.0/0')])),
      passes: [{ messageId: 'viaLoadBalancer', resource: 'eni-app' }],
      findings: [
        {
          messageId: 'lbExposed',
          resource: 'eni-lb1',
          severity: 'critical',
          message:
            'Internet-facing load balancer web (eni-lb1, eni-lb2) is reachable from the internet on tcp 22 from ' +
            '0.0.0.0/0, which is not a listener port (listeners: HTTPS 443; admitted by sg-alb).',
          data: { lb: 'web', enis: 'eni-lb1, eni-lb2', listeners: 'HTTPS 443', exposed: 'tcp 22 from 0.0.0.0/0' },
          related: [{ type: 'load-balancer', id: 'web', arn: alb.arn, name: 'web' }],
          remediation: [revoke('sg-alb', SSH_WORLD)],
        },
      ],
    },
    {
      name: 'an ALB group open on every TCP port: the fix keeps the listener (authorize 443, then revoke the range)',
      snapshot: estate(albParts([tcp([0, 65535], '0.0.0.0/0')])),
      passes: [{ messageId: 'viaLoadBalancer', resource: 'eni-app' }],
      findings: [
        {
          messageId: 'lbExposed',
          resource: 'eni-lb1',
          severity: 'critical',
          data: { exposed: 'tcp 0-442, 444-65535 from 0.0.0.0/0' },
          remediation: [
            `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-alb --ip-permissions ` +
              `'[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
            revoke('sg-alb', '[{"IpProtocol":"tcp","FromPort":0,"ToPort":65535,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'),
          ],
        },
      ],
    },
    {
      name: 'IPv6: a global address in a subnet whose ::/0 route goes to the internet gateway is reachable from ::/0',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(8080, '::/0')] })],
        enis: [eni('eni-1', { subnetId: 'subnet-pub', groups: ['sg-1'], ipv6: ['2600:1f18::10'], instanceId: 'i-1' })],
      }),
      findings: [{ messageId: 'exposed', resource: 'eni-1', severity: 'high', data: { source: '::/0' } }],
    },
    {
      name: 'all traffic from anywhere on a public instance is critical (its tcp part covers the admin ports)',
      snapshot: estate({ groups: [sg('sg-1', { ingress: [all('0.0.0.0/0')] })], enis: [publicEni('eni-1', ['sg-1'])] }),
      findings: [
        {
          messageId: 'exposed',
          resource: 'eni-1',
          severity: 'critical',
          data: { protocol: 'icmp, tcp, udp', ports: 'icmp, tcp 0-65535, udp 0-65535' },
        },
      ],
    },
    {
      name: 'a UDP listener exempts udp only: an NLB with a group admitting tcp and udp 53 is a finding on tcp 53',
      snapshot: estate({
        groups: [sg('sg-dns', { ingress: [udp(53, '0.0.0.0/0'), tcp(53, '0.0.0.0/0')] })],
        enis: [lbEni('eni-dns1', dns, { publicIp: '198.51.100.51' })],
        lbs: [dns],
        listeners: [listener(dns, 53, [], { protocol: 'UDP' })],
      }),
      findings: [
        {
          messageId: 'lbExposed',
          resource: 'eni-dns1',
          severity: 'high',
          data: { exposed: 'tcp 53 from 0.0.0.0/0', listeners: 'UDP 53' },
          remediation: [
            revoke('sg-dns', '[{"IpProtocol":"tcp","FromPort":53,"ToPort":53,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'),
          ],
        },
      ],
    },
    {
      name: 'a prefix list whose entries were not read leaves the path unknown: an error finding, with the command that reads it',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(22, 'pl-1')] })],
        enis: [publicEni('eni-1', ['sg-1'])],
        prefixLists: [{ id: 'pl-1', name: 'partners' }],
      }),
      findings: [
        {
          messageId: 'unknown',
          resource: 'eni-1',
          status: 'error',
          remediation: ['aws ec2 get-managed-prefix-list-entries --region us-east-1 --prefix-list-id pl-1'],
          check: (f) => expect(f.exposure?.status).toBe('unknown'),
        },
      ],
    },
    {
      name: 'an interface without a subnet (although subnets were collected) is unknown: an error finding',
      snapshot: estate({
        groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })],
        enis: [eni('eni-1', { groups: ['sg-1'], publicIp: '198.51.100.10', instanceId: 'i-1' })],
      }),
      findings: [{ messageId: 'unknown', resource: 'eni-1', status: 'error' }],
    },
  ],
});

describe('internet-exposure in the report', () => {
  it('names the network kinds a v1 snapshot lacks as missing data, and counts no pass', () => {
    const snap = estate({
      groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] })],
      enis: [publicEni('eni-1', ['sg-1'])],
      collected: WITHOUT_NETWORK,
    });
    const { report } = reportOf(snap, { rules: [rule] });
    expect(report.rules.find((r) => r.id === 'internet-exposure')?.missingData).toEqual([
      'vpcs',
      'subnets',
      'routeTables',
      'internetGateways',
      'egressOnlyInternetGateways',
      'networkAcls',
      'listeners',
      'targetGroups',
    ]);
    expect(report.findings.filter((f) => f.ruleId === 'internet-exposure')).toEqual([]);
  });

  it.each([
    [
      'the version-1 demo snapshot',
      () => loadInputFile(path.join(path.dirname(DEMO_ESTATE), '../snapshots/demo-v1.json')),
    ],
    ['raw describe-security-groups output', () => loadInputFile(RAW_DESCRIBE, { region: 'eu-west-1' })],
  ])('%s: not evaluated (missing data), no finding at all', (_name, load) => {
    const { report } = reportOf(load(), { rules: [rule] });
    expect(report.rules.find((r) => r.id === 'internet-exposure')?.missingData).toContain('routeTables');
    expect(report.findings.filter((f) => f.ruleId === 'internet-exposure')).toEqual([]);
    expect(report.summary.byRule['internet-exposure']).toEqual({ pass: 0, fail: 0, error: 0 });
  });

  it('the demo estate (v2, with its network): five interfaces exposed, the internet-facing load balancers pass on their listeners', () => {
    const { report } = reportOf(loadInputFile(DEMO_ESTATE), { rules: [rule] });
    const failing = report.findings
      .filter((f) => f.status === 'fail')
      .map((f) => [f.severity, f.resource.name, f.data?.exposed])
      .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(failing).toEqual([
      ['high', 'i-0a1b2c3d4e5f62041', 'tcp 80 from 0.0.0.0/0, tcp 443 from 0.0.0.0/0'],
      ['critical', 'i-0a1b2c3d4e5f62051', 'tcp 22 from 0.0.0.0/0'],
      ['high', 'i-0a1b2c3d4e5f62071', 'tcp 443 from ::/0'],
      ['high', 'i-0a1b2c3d4e5f64052', 'tcp 8443 from 52.0.0.0/8'],
      ['critical', 'legacy-mysql', 'tcp 3306 from 0.0.0.0/0'],
    ]);
    const passes = report.findings.filter((f) => f.status === 'pass');
    expect(passes.filter((f) => f.messageId === 'listenersOnly').map((f) => f.resource.name)).toEqual([
      'shop-eu-alb',
      'shop-alb',
      // Reachable on its listener 443 from the CloudFront origin-facing ranges only.
      'static-assets',
      'shop-ingest-nlb',
    ]);
  });

  it('an undecided interface makes the scan incomplete (exit 3), a reachable one fails it (exit 1)', () => {
    const exit = (ingress: SecurityGroup['ingress'], prefixLists = [{ id: 'pl-1', name: 'partners' }]) =>
      exitCodeFor(
        reportOf(estate({ groups: [sg('sg-1', { ingress })], enis: [publicEni('eni-1', ['sg-1'])], prefixLists }), {
          rules: [rule],
        }).report,
      );
    expect(exit([tcp(22, 'pl-1')])).toBe(3);
    expect(exit([tcp(22, '0.0.0.0/0')])).toBe(1);
    expect(exit([tcp(22, '10.0.0.0/8')])).toBe(0);
  });

  it('is on by default, in the exposure category, and reads every kind live collection must fetch for it', () => {
    expect(rule.meta.defaultEnabled).not.toBe(false);
    expect(rule.meta.category).toBe('exposure');
    expect([...rule.meta.needs].sort()).toEqual(
      [
        'securityGroups',
        'networkInterfaces',
        'prefixLists',
        'vpcs',
        'subnets',
        'routeTables',
        'internetGateways',
        'egressOnlyInternetGateways',
        'networkAcls',
        'loadBalancers',
        'listeners',
        'targetGroups',
      ].sort(),
    );
  });

  it('a DB instance interface is named after the database, with the database as related resource', () => {
    const snap = estate({
      groups: [sg('sg-db', { ingress: [tcp(5432, '0.0.0.0/0')] })],
      enis: [
        eni('eni-db', {
          subnetId: 'subnet-pub',
          groups: ['sg-db'],
          publicIp: '198.51.100.40',
          description: 'RDSNetworkInterface',
          requesterManaged: true,
          requesterId: 'amazon-rds',
        }),
      ],
      instances: [instance('orders', ['sg-db'], { publiclyAccessible: true })],
    });
    const f = t.finding(snap, 'eni-db');
    expect([f.status, f.messageId, f.severity]).toEqual(['fail', 'exposed', 'critical']);
    expect(f.resource).toEqual({ type: 'network-interface', id: 'eni-db', name: 'orders' });
    expect(f.related).toEqual([
      { type: 'db-instance', id: 'orders', arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders` },
    ]);
  });
});
