/**
 * The compiled in-place validator (src/snapshot/validate.ts, issue #6) must accept exactly what zod accepts
 * and leave the input equal to what `SnapshotSchema.parse` returns (defaults filled, unknown keys removed).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateEstate } from '../../support/estate/index.js';
import { parseInput } from '../../src/snapshot/load.js';
import { SnapshotSchema } from '../../src/snapshot/schema.js';
import { validateSnapshotInPlace } from '../../src/snapshot/validate.js';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function bothWays(raw: unknown) {
  const viaZod = SnapshotSchema.safeParse(clone(raw));
  const inPlace = clone(raw);
  const ok = validateSnapshotInPlace(inPlace);
  return { viaZod, ok, inPlace };
}

describe('validateSnapshotInPlace', () => {
  it('gives the demo estate (version 2, with the network data) exactly as zod does', () => {
    const raw = JSON.parse(readFileSync('fixtures/demo/estate.json', 'utf8')) as { schemaVersion: number };
    expect(raw.schemaVersion).toBe(2);
    const { viaZod, ok, inPlace } = bothWays(raw);
    expect(viaZod.success).toBe(true);
    expect(ok).toBe(true);
    expect(inPlace).toStrictEqual(viaZod.data);
  });

  it('gives the version-1 demo copy exactly as zod does', () => {
    // A version-1 file: parseInput upgrades it in place (load.ts) before either validator.
    const raw = JSON.parse(readFileSync('fixtures/snapshots/demo-v1.json', 'utf8')) as { schemaVersion: number };
    expect(raw.schemaVersion).toBe(1);
    raw.schemaVersion = 2;
    const { viaZod, ok, inPlace } = bothWays(raw);
    expect(viaZod.success).toBe(true);
    expect(ok).toBe(true);
    expect(inPlace).toStrictEqual(viaZod.data);
  });

  it('gives a generated estate exactly as zod does', () => {
    const raw = JSON.parse(JSON.stringify(generateEstate({ sgs: 600, regions: 3, seed: 5, accounts: 2 }))) as unknown;
    const { viaZod, ok, inPlace } = bothWays(raw);
    expect(viaZod.success).toBe(true);
    expect(ok).toBe(true);
    expect(inPlace).toStrictEqual(viaZod.data);
    expect(parseInput(clone(raw), 'estate.json', {}, { validateInPlace: true })).toStrictEqual(viaZod.data);
  });

  it('fills defaults and drops unknown keys as zod does', () => {
    const raw = {
      schemaVersion: 2,
      tool: 'sg-audit',
      createdAt: '2026-01-01T00:00:00Z',
      extra: true,
      regions: [
        {
          accountId: '111122223333',
          region: 'eu-west-1',
          collected: ['securityGroups'],
          unknown: { a: 1 },
          securityGroups: [
            {
              groupId: 'sg-1',
              groupName: 'a',
              ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, ipv4: [{ cidr: '0.0.0.0/0', x: 1 }] }],
              tags: { Tier: 'web' },
            },
            { groupId: 'sg-2', groupName: 'b', egress: [{ protocol: '-1', groups: [{ groupId: 'sg-1', junk: 'y' }] }] },
          ],
          networkInterfaces: [
            { id: 'eni-1', attachment: { instanceId: 'i-1', zz: 1 } },
            { id: 'eni-2', attachment: { instanceId: 'i-1', deviceIndex: 0, status: 'attached' } },
            { id: 'eni-3', attachment: { instanceId: 'i-1', deviceIndex: 1 } },
          ],
          prefixLists: [{ id: 'pl-1' }, { id: 'pl-2', entries: [{ cidr: '10.0.0.0/8' }] }],
          vpcs: [{ id: 'vpc-1', cidrBlock: '10.0.0.0/16', x: 1 }],
          subnets: [{ id: 'subnet-1', vpcId: 'vpc-1', mapPublicIpOnLaunch: true }],
          routeTables: [
            {
              id: 'rtb-1',
              vpcId: 'vpc-1',
              main: true,
              routes: [{ destinationCidr: '0.0.0.0/0', state: 'active', y: 2 }],
            },
          ],
          internetGateways: [{ id: 'igw-1', attachments: [{ vpcId: 'vpc-1', state: 'available', z: 3 }] }],
          egressOnlyInternetGateways: [{ id: 'eigw-1' }],
          listeners: [
            {
              arn: 'arn:l',
              loadBalancerArn: 'arn:lb',
              port: 443,
              x: 1,
              defaultActions: [{ type: 'forward', y: 2 }],
              rules: [{ arn: 'arn:r', actions: [{ type: 'fixed-response' }] }],
            },
          ],
          targetGroups: [{ arn: 'arn:tg', port: 80, targets: [{ id: 'i-1', z: 3 }] }],
          // Issue #13: sides without their CIDR lists (defaults), unknown keys in the record and a side.
          vpcPeeringConnections: [
            {
              id: 'pcx-1',
              status: 'active',
              requester: { vpcId: 'vpc-1', cidrs: ['10.0.0.0/16'], peeringOptions: { x: 1 } },
              accepter: { vpcId: 'vpc-2', ownerId: '222233334444', region: 'eu-west-1' },
              expirationTime: 'never',
            },
          ],
          networkAcls: [
            {
              id: 'acl-1',
              vpcId: 'vpc-1',
              isDefault: true,
              entries: [
                { ruleNumber: 100, egress: false, protocol: '-1', ruleAction: 'allow', portRange: { from: 1, to: 2 } },
              ],
            },
          ],
        },
      ],
    };
    const { viaZod, ok, inPlace } = bothWays(raw);
    expect(viaZod.success).toBe(true);
    expect(ok).toBe(true);
    expect(inPlace).toStrictEqual(viaZod.data);
    expect(viaZod.data!.regions[0].vpcPeeringConnections).toStrictEqual([
      {
        id: 'pcx-1',
        status: 'active',
        requester: { vpcId: 'vpc-1', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [] },
        accepter: { vpcId: 'vpc-2', ownerId: '222233334444', region: 'eu-west-1', cidrs: [], ipv6Cidrs: [] },
        tags: {},
      },
    ]);
    // The attachment's deviceIndex is kept by both (not an unknown key).
    expect(viaZod.data!.regions[0].networkInterfaces.map((n) => n.attachment)).toStrictEqual([
      { instanceId: 'i-1' },
      { instanceId: 'i-1', deviceIndex: 0, status: 'attached' },
      { instanceId: 'i-1', deviceIndex: 1 },
    ]);
  });

  // Each mutation makes the snapshot invalid for zod; the compiled validator must reject it too.
  const invalid: Array<[string, (s: any) => void]> = [
    ['missing createdAt', (s) => delete s.createdAt],
    ['wrong tool', (s) => (s.tool = 'other')],
    ['schemaVersion string', (s) => (s.schemaVersion = '1')],
    ['regions not an array', (s) => (s.regions = {})],
    ['unknown resource kind', (s) => s.regions[0].collected.push('natGateways')],
    ['group without id', (s) => delete s.regions[0].securityGroups[0].groupId],
    ['fractional port', (s) => (s.regions[0].securityGroups[0].ingress[0].fromPort = 22.5)],
    ['port beyond safe integers', (s) => (s.regions[0].securityGroups[0].ingress[0].toPort = 2 ** 60)],
    ['numeric tag value', (s) => (s.regions[0].securityGroups[0].tags = { Tier: 1 })],
    ['cidr not a string', (s) => (s.regions[0].securityGroups[0].ingress[0].ipv4 = [{ cidr: 10 }])],
    ['null ingress', (s) => (s.regions[0].securityGroups[0].ingress = null)],
    [
      'publiclyAccessible string',
      (s) => (s.regions[0].dbInstances = [{ id: 'db', engine: 'mysql', publiclyAccessible: 'yes' }]),
    ],
    ['account error without accountId', (s) => (s.errors = [{ api: 'sts', code: 'X', message: 'm' }])],
    ['snapshot is an array', () => undefined],
    // AWS's value space (issue #10 item 7; EC2 API reference, IpPermission): checks JSON Schema cannot say.
    ['tcp toPort 70000', (s) => (s.regions[0].securityGroups[0].ingress[0].toPort = 70000)],
    ['tcp fromPort -5', (s) => (s.regions[0].securityGroups[0].ingress[0].fromPort = -5)],
    [
      'reversed tcp range',
      (s) => Object.assign(s.regions[0].securityGroups[0].ingress[0], { fromPort: 443, toPort: 80 }),
    ],
    [
      'ICMP code 256',
      (s) => Object.assign(s.regions[0].securityGroups[0].ingress[0], { protocol: 'icmp', fromPort: 3, toPort: 256 }),
    ],
    ['protocol "bogus"', (s) => (s.regions[0].securityGroups[0].ingress[0].protocol = 'bogus')],
    ['protocol number 256 in egress', (s) => (s.regions[0].securityGroups[0].egress = [{ protocol: '256' }])],
    // Item 8: accounts and regions as AWS spells them.
    ['account of 11 digits', (s) => (s.regions[0].accountId = '11112222333')],
    ['region with a shell command', (s) => (s.regions[0].region = "eu-west-1'; touch /tmp/x #")],
    // Issue #12: the network data.
    ['v2 kind not in the enum', (s) => s.regions[0].collected.push('natGateways')],
    ['subnet without vpcId', (s) => delete s.regions[0].subnets[0].vpcId],
    ['vpc ipv6CidrBlocks not strings', (s) => (s.regions[0].vpcs[0].ipv6CidrBlocks = [1])],
    ['route state unknown', (s) => (s.regions[0].routeTables[0].routes[0].state = 'gone')],
    ['route origin unknown', (s) => (s.regions[0].routeTables[0].routes[0].origin = 'Manual')],
    ['route table without main', (s) => delete s.regions[0].routeTables[0].main],
    ['gateway attachment without vpcId', (s) => delete s.regions[0].internetGateways[0].attachments[0].vpcId],
    ['eigw without id', (s) => delete s.regions[0].egressOnlyInternetGateways[0].id],
    ['acl ruleAction maybe', (s) => (s.regions[0].networkAcls[0].entries[0].ruleAction = 'maybe')],
    ['acl fractional rule number', (s) => (s.regions[0].networkAcls[0].entries[0].ruleNumber = 100.5)],
    ['acl port range without to', (s) => delete s.regions[0].networkAcls[0].entries[0].portRange.to],
    // Issue #12: the load-balancer data.
    ['listener without loadBalancerArn', (s) => delete s.regions[0].listeners[0].loadBalancerArn],
    ['listener fractional port', (s) => (s.regions[0].listeners[0].port = 443.5)],
    ['listener action without type', (s) => delete s.regions[0].listeners[0].defaultActions[0].type],
    ['action target groups not strings', (s) => (s.regions[0].listeners[0].defaultActions[0].targetGroupArns = [1])],
    ['rule without arn', (s) => delete s.regions[0].listeners[0].rules[0].arn],
    ['rule isDefault a string', (s) => (s.regions[0].listeners[0].rules[0].isDefault = 'yes')],
    ['target group without arn', (s) => delete s.regions[0].targetGroups[0].arn],
    ['target without id', (s) => delete s.regions[0].targetGroups[0].targets[0].id],
    ['target port a string', (s) => (s.regions[0].targetGroups[0].targets[0].port = '80')],
    ['eni publicIp a number', (s) => (s.regions[0].networkInterfaces = [{ id: 'eni-1', publicIp: 1 }])],
    // The attachment's device index (0: the instance's primary interface): an integer ≥ 0.
    ['eni deviceIndex negative', (s) => (s.regions[0].networkInterfaces[0].attachment = { deviceIndex: -1 })],
    ['eni deviceIndex fractional', (s) => (s.regions[0].networkInterfaces[0].attachment = { deviceIndex: 0.5 })],
    ['eni deviceIndex a string', (s) => (s.regions[0].networkInterfaces[0].attachment = { deviceIndex: '0' })],
    [
      'eni private address without address',
      (s) => (s.regions[0].networkInterfaces = [{ id: 'eni-1', privateIpAddresses: [{}] }]),
    ],
    // Issue #13: the peering connections.
    ['peering without status', (s) => delete s.regions[0].vpcPeeringConnections[0].status],
    ['peering status a number', (s) => (s.regions[0].vpcPeeringConnections[0].status = 1)],
    ['peering without id', (s) => delete s.regions[0].vpcPeeringConnections[0].id],
    ['peering without accepter', (s) => delete s.regions[0].vpcPeeringConnections[0].accepter],
    ['peering side a string', (s) => (s.regions[0].vpcPeeringConnections[0].requester = 'vpc-1')],
    ['peering cidrs not strings', (s) => (s.regions[0].vpcPeeringConnections[0].requester.cidrs = [10])],
    ['peering ipv6Cidrs null', (s) => (s.regions[0].vpcPeeringConnections[0].accepter.ipv6Cidrs = null)],
    ['peering tag value a number', (s) => (s.regions[0].vpcPeeringConnections[0].tags = { Name: 1 })],
    ['peering list not an array', (s) => (s.regions[0].vpcPeeringConnections = {})],
    [
      'account error in a bad region',
      (s) => (s.errors = [{ accountId: '111122223333', region: 'mars-1', api: 'sts', code: 'X', message: 'm' }]),
    ],
  ];
  const base = () => ({
    schemaVersion: 2,
    tool: 'sg-audit',
    createdAt: 'now',
    regions: [
      {
        accountId: '111122223333',
        region: 'eu-west-1',
        collected: ['securityGroups'],
        securityGroups: [
          {
            groupId: 'sg-1',
            groupName: 'a',
            tags: {},
            ingress: [{ protocol: 'tcp', fromPort: 1, toPort: 2, ipv4: [] }],
          },
        ],
        networkInterfaces: [
          {
            id: 'eni-1',
            subnetId: 'subnet-1',
            publicIp: '203.0.113.9',
            privateIpAddresses: [{ address: '10.0.0.5', primary: true, publicIp: '203.0.113.9' }],
            ipv6Addresses: ['2001:db8::5'],
          },
        ],
        vpcs: [{ id: 'vpc-1', ipv6CidrBlocks: ['2001:db8::/56'] }],
        subnets: [{ id: 'subnet-1', vpcId: 'vpc-1' }],
        routeTables: [{ id: 'rtb-1', vpcId: 'vpc-1', main: true, routes: [{ gatewayId: 'igw-1', state: 'active' }] }],
        internetGateways: [{ id: 'igw-1', attachments: [{ vpcId: 'vpc-1', state: 'available' }] }],
        egressOnlyInternetGateways: [{ id: 'eigw-1' }],
        listeners: [
          {
            arn: 'arn:l',
            loadBalancerArn: 'arn:lb',
            protocol: 'HTTPS',
            port: 443,
            defaultActions: [{ type: 'forward', targetGroupArns: ['arn:tg'] }],
            rules: [{ arn: 'arn:r', priority: 'default', isDefault: true, actions: [] }],
          },
        ],
        targetGroups: [
          {
            arn: 'arn:tg',
            port: 8080,
            loadBalancerArns: ['arn:lb'],
            targets: [{ id: 'i-1', port: 8080, health: 'healthy' }],
          },
        ],
        networkAcls: [
          {
            id: 'acl-1',
            vpcId: 'vpc-1',
            isDefault: true,
            entries: [
              { ruleNumber: 100, egress: false, protocol: '6', ruleAction: 'allow', portRange: { from: 1, to: 2 } },
            ],
          },
        ],
        vpcPeeringConnections: [
          {
            id: 'pcx-1',
            status: 'pending-acceptance',
            requester: { vpcId: 'vpc-1', ownerId: '111122223333', region: 'eu-west-1', cidrs: ['10.0.0.0/16'] },
            accepter: { vpcId: 'vpc-2', cidrs: [], ipv6Cidrs: ['2001:db8:1::/56'] },
            tags: { Name: 'p' },
          },
        ],
      },
    ],
  });
  it.each(invalid)('rejects %s as zod does', (name, mutate) => {
    let s: unknown = base();
    if (name === 'snapshot is an array') s = [s];
    else mutate(s);
    expect(SnapshotSchema.safeParse(clone(s)).success).toBe(false);
    expect(validateSnapshotInPlace(clone(s))).toBe(false);
  });
  it.each(invalid)('words the error for %s exactly as zod alone does', (name, mutate) => {
    let s: unknown = base();
    if (name === 'snapshot is an array') s = [s];
    else mutate(s);
    const message = (validateInPlace: boolean) => {
      try {
        parseInput(clone(s), 'estate.json', {}, { validateInPlace });
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(message(false)).toMatch(/^estate\.json: /);
    expect(message(true)).toBe(message(false));
  });
  it('normalises protocol numbers and names as zod does ("6" is tcp, "17" udp, "1" icmp, "58" icmpv6)', () => {
    const s: any = base();
    s.regions[0].accountId = 'unknown';
    s.regions[0].region = 'unknown';
    s.regions[0].securityGroups[0].ingress = [
      { protocol: '6', fromPort: 22, toPort: 22 },
      { protocol: '17', fromPort: 53, toPort: 53 },
      { protocol: '1', fromPort: 8, toPort: -1 },
      { protocol: '58', fromPort: -1, toPort: -1 },
      { protocol: 'UDP', fromPort: 0, toPort: 65535 },
      { protocol: '050' },
      { protocol: '-1' },
    ];
    const { viaZod, ok, inPlace } = bothWays(s);
    expect(viaZod.success && ok).toBe(true);
    expect(inPlace).toStrictEqual(viaZod.data);
    expect((inPlace as any).regions[0].securityGroups[0].ingress.map((p: { protocol: string }) => p.protocol)).toEqual([
      'tcp',
      'udp',
      'icmp',
      'icmpv6',
      'udp',
      '50',
      '-1',
    ]);
  });

  it('accepts the unmutated base', () => {
    const { viaZod, ok, inPlace } = bothWays(base());
    expect(viaZod.success && ok).toBe(true);
    expect(inPlace).toStrictEqual(viaZod.data);
  });
});
