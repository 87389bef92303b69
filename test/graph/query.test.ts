/**
 * Port/protocol/source predicates rules rely on: protocol -1, tcp/udp ranges, IPv4/IPv6, world, prefix lists.
 */
import { describe, expect, it } from 'vitest';
import type { RuleEntry } from '../../src/graph/model.js';
import {
  coversPort,
  cidrsOf,
  describePorts,
  describeSource,
  hasPublicCidr,
  isUnknownSource,
  isWorldSource,
  overlapsRange,
} from '../../src/graph/query.js';
import { OTHER_ACCOUNT, all, groupNode, icmp, proto, sg, tcp, udp } from '../helpers/estate.js';
import type { Permission, PrefixList } from '../../src/snapshot/schema.js';

/** The ingress entries of one group built from `perms`. */
function entries(perms: Permission[], prefixLists: PrefixList[] = []): RuleEntry[] {
  return groupNode('sg-t', { groups: [sg('sg-t', { ingress: perms })], prefixLists }).ingress;
}
const one = (p: Permission) => entries([p])[0];

describe('coversPort', () => {
  it.each([
    ['all traffic covers any tcp port', all('10.0.0.0/8'), 'tcp', 3306, true],
    ['all traffic covers udp too', all('10.0.0.0/8'), 'udp', 53, true],
    ['tcp single port', tcp(3306, '10.0.0.0/8'), 'tcp', 3306, true],
    ['tcp single port, other port', tcp(3306, '10.0.0.0/8'), 'tcp', 3307, false],
    ['tcp range includes its lower bound', tcp([3300, 3310], '10.0.0.0/8'), 'tcp', 3300, true],
    ['tcp range includes its upper bound', tcp([3300, 3310], '10.0.0.0/8'), 'tcp', 3310, true],
    ['tcp range excludes one past the end', tcp([3300, 3310], '10.0.0.0/8'), 'tcp', 3311, false],
    ['udp does not cover tcp', udp(3306, '10.0.0.0/8'), 'tcp', 3306, false],
    ['tcp does not cover udp', tcp(53, '10.0.0.0/8'), 'udp', 53, false],
    ['icmp never covers tcp', icmp('10.0.0.0/8'), 'tcp', 0, false],
    ['protocol number 6 is tcp', proto('6', 22, 22, '10.0.0.0/8'), 'tcp', 22, true],
    ['protocol number 17 is udp', proto('17', 53, 53, '10.0.0.0/8'), 'udp', 53, true],
    ['protocol name in capitals', proto('TCP', 22, 22, '10.0.0.0/8'), 'tcp', 22, true],
    ['tcp without ports is every port', proto('tcp', undefined, undefined, '10.0.0.0/8'), 'tcp', 65535, true],
    ['protocol 50 (ESP) covers no tcp port', proto('50', undefined, undefined, '10.0.0.0/8'), 'tcp', 500, false],
  ] as const)('%s', (_name, perm, protocol, port, expected) => {
    expect(coversPort(one(perm), protocol, port)).toBe(expected);
  });
});

describe('overlapsRange', () => {
  it('detects overlap at the edges, and none across protocols', () => {
    const e = one(tcp([1000, 2000], '10.0.0.0/8'));
    expect(overlapsRange(e, 'tcp', 2000, 3000)).toBe(true);
    expect(overlapsRange(e, 'tcp', 0, 1000)).toBe(true);
    expect(overlapsRange(e, 'tcp', 2001, 3000)).toBe(false);
    expect(overlapsRange(e, 'udp', 1000, 2000)).toBe(false);
    expect(overlapsRange(one(all('10.0.0.0/8')), 'udp', 1, 2)).toBe(true);
  });
});

describe('sources', () => {
  it('world is 0.0.0.0/0 or ::/0 only', () => {
    const es = entries([tcp(22, '0.0.0.0/0', '::/0', '0.0.0.0/1', '10.0.0.0/8', '2001:db8::/32')]);
    expect(es.map((e) => [describeSource(e.source), isWorldSource(e.source), hasPublicCidr(e.source)])).toEqual([
      ['0.0.0.0/0', true, true],
      ['0.0.0.0/1', false, true],
      ['10.0.0.0/8', false, false],
      ['::/0', true, true],
      ['2001:db8::/32', false, true],
    ]);
  });

  it('a prefix list is the CIDRs it holds: world when it holds 0.0.0.0/0 or ::/0 (issue #10)', () => {
    const [world, priv, pub, unknown, absent, aws] = entries(
      [tcp(443, 'pl-world', 'pl-private', 'pl-public', 'pl-unknown', 'pl-absent', 'pl-aws')],
      [
        { id: 'pl-world', name: 'corp', entries: [{ cidr: '10.0.0.0/8' }, { cidr: '0.0.0.0/0' }, { cidr: '::/0' }] },
        { id: 'pl-private', entries: [{ cidr: '10.0.0.0/8' }, { cidr: 'fd00::/8' }] },
        { id: 'pl-public', entries: [{ cidr: '198.51.100.0/24' }] },
        { id: 'pl-unknown', name: 'partners' },
        { id: 'pl-aws', name: 'com.amazonaws.us-east-1.s3', ownerId: 'AWS' },
      ],
    );
    expect(
      [world, priv, pub, unknown, absent, aws].map((e) => [
        describeSource(e.source),
        isWorldSource(e.source),
        hasPublicCidr(e.source),
        isUnknownSource(e.source),
      ]),
    ).toEqual([
      ['pl-world (corp; holds 0.0.0.0/0, ::/0)', true, true, false],
      ['pl-private', false, false, false],
      ['pl-public', false, true, false],
      ['pl-unknown (partners)', false, false, true],
      ['pl-absent', false, false, true],
      // AWS-managed lists are AWS service ranges: never the world, even unread.
      ['pl-aws (com.amazonaws.us-east-1.s3)', false, false, false],
    ]);
    expect(cidrsOf(world.source).map((c) => c.cidr)).toEqual(['10.0.0.0/8', '0.0.0.0/0', '::/0']);
    expect(cidrsOf(unknown.source)).toEqual([]);
  });

  it('group sources carry no CIDRs; cross-account ones are labelled with the account', () => {
    const [local, cross] = entries([tcp(443, 'sg-a', `${OTHER_ACCOUNT}/sg-b`)]);
    expect(cidrsOf(local.source)).toEqual([]);
    expect(isWorldSource(local.source)).toBe(false);
    expect(describeSource(local.source)).toBe('sg-a');
    expect(describeSource(cross.source)).toBe(`${OTHER_ACCOUNT}/sg-b`);
  });
});

describe('describePorts', () => {
  it.each([
    [all('10.0.0.0/8'), 'all traffic'],
    [tcp(22, '10.0.0.0/8'), 'tcp 22'],
    [udp([1000, 2000], '10.0.0.0/8'), 'udp 1000-2000'],
    [proto('tcp', undefined, undefined, '10.0.0.0/8'), 'tcp 0-65535'],
    [icmp('10.0.0.0/8'), 'icmp'],
    [proto('icmp', 8, -1, '10.0.0.0/8'), 'icmp type 8'],
    [proto('icmp', 3, 4, '10.0.0.0/8'), 'icmp type 3 code 4'],
  ] as const)('%j → %s', (perm, text) => {
    expect(describePorts(one(perm))).toBe(text);
  });
});
