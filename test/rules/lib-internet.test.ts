/** rules/lib/internet.ts: port-span arithmetic, path text and source containment used by internet-exposure. */
import { describe, expect, it } from 'vitest';
import {
  describePath,
  describeProtocolPorts,
  formatSpans,
  sourceHolds,
  spansHoldAny,
  subtractPorts,
} from '../../rules/lib/index.js';
import type { ExposurePath } from '../../src/exposure/types.js';
import type { Source } from '../../src/graph/model.js';
import { classifyCidr } from '../../src/graph/net.js';

describe('subtractPorts', () => {
  it.each([
    [
      [[0, 65535]],
      [443],
      [
        [0, 442],
        [444, 65535],
      ],
    ],
    [[[443, 443]], [443], []],
    [
      [
        [80, 80],
        [443, 443],
      ],
      [443, 80],
      [],
    ],
    [
      [[20, 30]],
      [20, 30, 25],
      [
        [21, 24],
        [26, 29],
      ],
    ],
    [[[22, 22]], [], [[22, 22]]],
    [[[22, 22]], [443], [[22, 22]]],
  ])('%j without %j is %j', (spans, remove, expected) => {
    expect(subtractPorts(spans as [number, number][], new Set(remove))).toEqual(expected);
  });

  it('never mutates its input', () => {
    const spans: [number, number][] = [[0, 10]];
    subtractPorts(spans, new Set());
    subtractPorts(spans, new Set([5]));
    expect(spans).toEqual([[0, 10]]);
  });
});

describe('spans text and checks', () => {
  it('formats protocols and ports', () => {
    expect(
      formatSpans([
        [22, 22],
        [8000, 8100],
      ]),
    ).toBe('22, 8000-8100');
    expect(describeProtocolPorts('tcp', [[22, 22]])).toBe('tcp 22');
    expect(describeProtocolPorts('all', [[0, 65535]])).toBe('all traffic');
    expect(describeProtocolPorts('icmp', [[-1, -1]])).toBe('icmp');
    expect(describeProtocolPorts('icmp', [[8, 8]])).toBe('icmp type 8');
    expect(describeProtocolPorts('50', [[0, 65535]])).toBe('protocol 50');
  });

  it('finds a port inside a span', () => {
    expect(spansHoldAny([[0, 442]], [22, 3389])).toBe(true);
    expect(spansHoldAny([[444, 3000]], [22, 3389])).toBe(false);
  });

  it('describes a path hop by hop, the * ACL rule and load balancers by name', () => {
    const lb = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/0123456789abcdef';
    const tg = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/app/fedcba9876543210';
    const p: ExposurePath = {
      from: 'internet',
      source: '0.0.0.0/0',
      target: { type: 'network-interface', id: 'eni-2' },
      protocol: 'tcp',
      ports: [[8080, 8080]],
      accountId: '111111111111',
      region: 'us-east-1',
      hops: [
        { type: 'internet-gateway', id: 'igw-1' },
        { type: 'route-table', id: 'rtb-1', route: '0.0.0.0/0' },
        { type: 'network-acl', id: 'acl-1', direction: 'inbound', rule: 32767 },
        { type: 'network-interface', id: 'eni-1' },
        { type: 'load-balancer', id: lb, listener: 443 },
        { type: 'target-group', id: tg, port: 8080 },
        { type: 'security-group', id: 'sg-1', permissionIndex: 0 },
      ],
    };
    expect(describePath(p)).toBe(
      'igw-1 → rtb-1 (0.0.0.0/0) → acl-1 inbound rule * → eni-1 → load balancer web listener 443 → ' +
        'target group app port 8080 → sg-1 → eni-2',
    );
  });
});

describe('sourceHolds', () => {
  const cidr = (c: string): Source => ({ kind: 'cidr', cidr: classifyCidr(c) });
  it.each([
    ['0.0.0.0/0', '0.0.0.0/0', true],
    ['0.0.0.0/0', '203.0.113.0/24', true],
    ['203.0.113.0/24', '0.0.0.0/0', false],
    ['198.51.100.0/24', '203.0.113.0/24', false],
    ['::/0', '2001:db8::/32', true],
    ['::/0', '0.0.0.0/0', false],
    ['0.0.0.0/0', '::/0', false],
  ])('%s holds %s: %s', (outer, inner, expected) => {
    expect(sourceHolds(cidr(outer), inner)).toBe(expected);
  });

  it('a prefix list holds what one of its entries holds; a group reference holds nothing', () => {
    const list: Source = {
      kind: 'prefixList',
      prefixListId: 'pl-1',
      entries: [classifyCidr('10.0.0.0/8'), classifyCidr('0.0.0.0/0')],
      worldEntries: [classifyCidr('0.0.0.0/0')],
      awsManaged: false,
    };
    expect(sourceHolds(list, '203.0.113.0/24')).toBe(true);
    expect(sourceHolds({ ...list, entries: undefined }, '203.0.113.0/24')).toBe(false);
    expect(sourceHolds({ kind: 'group', groupId: 'sg-1', crossAccount: false, self: false }, '0.0.0.0/0')).toBe(false);
  });
});

describe('portSpans (formatPorts and tcpPortsQuery read it)', () => {
  it('sorts, de-duplicates and collapses runs into spans', async () => {
    const { portSpans, formatPorts } = await import('../../rules/lib/ports.js');
    const { tcpPortsQuery } = await import('../../rules/lib/exposure.js');
    expect(portSpans([80, 22, 23, 22])).toEqual([
      [22, 23],
      [80, 80],
    ]);
    expect(portSpans([])).toEqual([]);
    expect(formatPorts([80, 22, 23, 22])).toBe('22-23, 80');
    expect(tcpPortsQuery([80, 22, 23])).toEqual({
      protocol: 'tcp',
      ports: [
        [22, 23],
        [80, 80],
      ],
    });
  });
});
