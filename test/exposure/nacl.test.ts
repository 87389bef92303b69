/**
 * Network ACL evaluation for the exposure model. Each AWS semantic has its own test, named after the page it
 * relies on ([AWS: title]):
 * [custom] "Custom network ACLs for your VPC", https://docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html
 * [default] "Default network ACL for a VPC", https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html
 * [acls] "Control traffic to subnets using network ACLs",
 *        https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
 * [ephemeral] "Ephemeral ports", https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
 * [icmp] "IcmpTypeCode", https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IcmpTypeCode.html
 */
import { describe, expect, it } from 'vitest';
import {
  aclAdmitsInternet,
  aclFor,
  evaluateAcl,
  type NetworkAcl,
  type NetworkAclEntry,
} from '../../src/exposure/nacl.js';

const VPC = 'vpc-1';

function acl(entries: NetworkAclEntry[], over: Partial<NetworkAcl> = {}): NetworkAcl {
  return { id: 'acl-1', vpcId: VPC, isDefault: false, subnetIds: ['subnet-1'], entries, ...over };
}

function entry(
  ruleNumber: number,
  ruleAction: 'allow' | 'deny',
  over: Partial<NetworkAclEntry> = {},
  egress = false,
): NetworkAclEntry {
  return { ruleNumber, egress, protocol: '-1', ruleAction, cidrBlock: '0.0.0.0/0', ...over };
}

const tcp = (from: number, to = from): Partial<NetworkAclEntry> => ({ protocol: '6', portRange: { from, to } });
/** The `*` rules as DescribeNetworkAcls returns them. */
const STAR = [
  entry(32767, 'deny'),
  entry(32767, 'deny', { cidrBlock: undefined, ipv6CidrBlock: '::/0' }),
  entry(32767, 'deny', {}, true),
  entry(32767, 'deny', { cidrBlock: undefined, ipv6CidrBlock: '::/0' }, true),
];
const ssh = { protocol: 'tcp' as const, port: 22, peer: '0.0.0.0/0' };

describe('evaluateAcl: rule order and first match [AWS: Custom network ACLs for your VPC]', () => {
  it('a lower-numbered deny beats a later allow, whatever the order of the entries in the data', () => {
    const v = evaluateAcl(acl([entry(200, 'allow'), entry(100, 'deny', tcp(22))]), 'inbound', ssh);
    expect(v.status).toBe('unreachable');
    expect(v.reason).toBe('network ACL acl-1 rule 100 denies tcp 22 from 0.0.0.0/0');
    expect(v).toMatchObject({ hop: { type: 'network-acl', id: 'acl-1', direction: 'inbound', rule: 100 } });
    expect(v.outcomes).toEqual([
      { peer: '0.0.0.0/0', ports: { from: 22, to: 22 }, status: 'deny', rule: 100, reason: v.reason },
    ]);
  });

  it('the first matching entry decides: a later deny does not undo an allow', () => {
    const v = evaluateAcl(acl([entry(100, 'allow', tcp(22)), entry(200, 'deny', tcp(0, 65535))]), 'inbound', ssh);
    expect(v).toMatchObject({
      status: 'reachable',
      reason: 'network ACL acl-1 rule 100 allows tcp 22 from 0.0.0.0/0',
      via: { type: 'network-acl', id: 'acl-1', direction: 'inbound', rule: 100 },
    });
  });

  it('an entry whose port range misses the port does not match', () => {
    const v = evaluateAcl(acl([entry(100, 'deny', tcp(80, 443)), entry(200, 'allow', tcp(1, 1000))]), 'inbound', ssh);
    expect(v).toMatchObject({ status: 'reachable', via: { rule: 200 } });
  });

  it('only entries of the asked direction count: an egress deny does not block inbound', () => {
    const v = evaluateAcl(acl([entry(100, 'deny', {}, true), entry(110, 'allow')]), 'inbound', ssh);
    expect(v).toMatchObject({ status: 'reachable', via: { direction: 'inbound', rule: 110 } });
  });
});

describe('evaluateAcl: the default * rule [AWS: Custom network ACLs for your VPC] [AWS: Default network ACL for a VPC]', () => {
  it('denies what no numbered rule matches (the * rule not in the data)', () => {
    const v = evaluateAcl(acl([entry(100, 'allow', tcp(443))]), 'inbound', ssh);
    expect(v).toEqual({
      status: 'unreachable',
      reason: 'network ACL acl-1: no rule allows tcp 22 from 0.0.0.0/0: the default * rule denies it',
      hop: { type: 'network-acl', id: 'acl-1', direction: 'inbound', rule: 32767 },
      outcomes: [
        {
          peer: '0.0.0.0/0',
          ports: { from: 22, to: 22 },
          status: 'deny',
          reason: 'network ACL acl-1: no rule allows tcp 22 from 0.0.0.0/0: the default * rule denies it',
        },
      ],
    });
  });

  it('denies with the same words when DescribeNetworkAcls returned the * rule as 32767', () => {
    const v = evaluateAcl(acl([entry(100, 'allow', tcp(443)), ...STAR]), 'inbound', ssh);
    expect(v).toMatchObject({
      status: 'unreachable',
      reason: 'network ACL acl-1: no rule allows tcp 22 from 0.0.0.0/0: the default * rule denies it',
      hop: { rule: 32767 },
    });
    expect(v.outcomes[0].rule).toBe(32767);
  });

  it('an ACL with no entries denies everything', () => {
    expect(evaluateAcl(acl([]), 'outbound', { protocol: 'udp', port: 53, peer: '8.8.8.8' })).toMatchObject({
      status: 'unreachable',
      reason: 'network ACL acl-1: no rule allows udp 53 to 8.8.8.8/32: the default * rule denies it',
    });
  });
});

describe('evaluateAcl: protocols [AWS: Custom network ACLs for your VPC] [AWS: IcmpTypeCode]', () => {
  it('protocol -1 matches every protocol, port and ICMP type', () => {
    const a = acl([entry(50, 'deny'), entry(100, 'allow')]);
    for (const p of [ssh, { protocol: 'udp' as const, port: 53, peer: '0.0.0.0/0' }]) {
      expect(evaluateAcl(a, 'inbound', p)).toMatchObject({ status: 'unreachable', hop: { rule: 50 } });
    }
    const icmp = evaluateAcl(a, 'inbound', { protocol: 'icmp', icmpType: 8, peer: '0.0.0.0/0' });
    expect(icmp.reason).toBe('network ACL acl-1 rule 50 denies icmp type 8 from 0.0.0.0/0');
    expect(evaluateAcl(a, 'inbound', { protocol: 47, peer: '0.0.0.0/0' }).reason).toBe(
      'network ACL acl-1 rule 50 denies protocol 47 from 0.0.0.0/0',
    );
  });

  it('a TCP entry does not match UDP on the same port', () => {
    const a = acl([entry(100, 'deny', tcp(53)), entry(200, 'allow')]);
    expect(evaluateAcl(a, 'inbound', { protocol: 'udp', port: 53, peer: '0.0.0.0/0' })).toMatchObject({
      status: 'reachable',
      via: { rule: 200 },
    });
  });

  it('ICMP entries match on type; type -1 means all types, code -1 all codes of the type [AWS: IcmpTypeCode]', () => {
    const a = acl([
      entry(100, 'allow', { protocol: '1', icmpTypeCode: { type: 8, code: -1 } }),
      entry(110, 'allow', { protocol: '1', icmpTypeCode: { type: 3, code: 4 } }),
    ]);
    const echo = evaluateAcl(a, 'inbound', { protocol: 'icmp', icmpType: 8, icmpCode: 0, peer: '0.0.0.0/0' });
    expect(echo).toMatchObject({
      status: 'reachable',
      reason: 'network ACL acl-1 rule 100 allows icmp type 8 code 0 from 0.0.0.0/0',
    });
    const timestamp = evaluateAcl(a, 'inbound', { protocol: 'icmp', icmpType: 13, peer: '0.0.0.0/0' });
    expect(timestamp).toMatchObject({ status: 'unreachable', hop: { rule: 32767 } });
    const fragNeeded = evaluateAcl(a, 'inbound', { protocol: 'icmp', icmpType: 3, icmpCode: 4, peer: '0.0.0.0/0' });
    expect(fragNeeded).toMatchObject({ status: 'reachable', via: { rule: 110 } });
    const portUnreachable = evaluateAcl(a, 'inbound', {
      protocol: 'icmp',
      icmpType: 3,
      icmpCode: 3,
      peer: '0.0.0.0/0',
    });
    expect(portUnreachable).toMatchObject({ status: 'unreachable', hop: { rule: 32767 } });
    const all = acl([entry(100, 'allow', { protocol: '1', icmpTypeCode: { type: -1, code: -1 } })]);
    expect(evaluateAcl(all, 'inbound', { protocol: 'icmp', icmpType: 13, peer: '0.0.0.0/0' }).status).toBe('reachable');
    expect(evaluateAcl(all, 'inbound', { protocol: 'icmpv6', icmpType: 128, peer: '::/0' }).status).toBe('unreachable');
  });
});

describe('evaluateAcl: IPv4 and IPv6 are evaluated separately [AWS: Custom network ACLs for your VPC]', () => {
  const a = acl([
    entry(90, 'deny'),
    entry(101, 'allow', { cidrBlock: undefined, ipv6CidrBlock: '::/0' }),
    entry(200, 'allow'),
  ]);

  it('an IPv6 entry never applies to an IPv4 peer', () => {
    const only6 = acl([entry(101, 'allow', { cidrBlock: undefined, ipv6CidrBlock: '::/0' })]);
    expect(evaluateAcl(only6, 'inbound', ssh)).toMatchObject({ status: 'unreachable', hop: { rule: 32767 } });
  });

  it('an IPv4 deny of 0.0.0.0/0 does not block an IPv6 peer, the IPv6 entry decides', () => {
    expect(evaluateAcl(a, 'inbound', { ...ssh, peer: '2001:db8::1' })).toMatchObject({
      status: 'reachable',
      reason: 'network ACL acl-1 rule 101 allows tcp 22 from 2001:db8::1/128',
      via: { rule: 101 },
    });
    expect(evaluateAcl(a, 'inbound', ssh)).toMatchObject({ status: 'unreachable', hop: { rule: 90 } });
  });
});

describe('evaluateAcl: a peer range is split where entries cover only part of it', () => {
  it('allow 203.0.113.0/24 then the * rule: the internet reaches through that /24 only', () => {
    const v = evaluateAcl(acl([entry(100, 'allow', { ...tcp(22), cidrBlock: '203.0.113.0/24' })]), 'inbound', ssh);
    expect(v.status).toBe('reachable');
    expect(v).toMatchObject({ via: { rule: 100 } });
    expect(v.outcomes.filter((o) => o.status === 'allow').map((o) => o.peer)).toEqual(['203.0.113.0/24']);
    const denied = v.outcomes.filter((o) => o.status === 'deny');
    expect(denied.map((o) => o.peer)).toEqual([
      '0.0.0.0/1',
      '128.0.0.0/2',
      '224.0.0.0/3',
      '208.0.0.0/4',
      '192.0.0.0/5',
      '204.0.0.0/6',
      '200.0.0.0/7',
      '202.0.0.0/8',
      '203.128.0.0/9',
      '203.64.0.0/10',
      '203.32.0.0/11',
      '203.16.0.0/12',
      '203.8.0.0/13',
      '203.4.0.0/14',
      '203.2.0.0/15',
      '203.1.0.0/16',
      '203.0.128.0/17',
      '203.0.0.0/18',
      '203.0.64.0/19',
      '203.0.96.0/20',
      '203.0.120.0/21',
      '203.0.116.0/22',
      '203.0.114.0/23',
      '203.0.112.0/24',
    ]);
    expect(denied.every((o) => o.rule === undefined && o.ports?.from === 22)).toBe(true);
    expect(v.reason).toBe(
      'network ACL acl-1 allows tcp 22 from 0.0.0.0/0: rule 100 for 203.0.113.0/24 port 22 (only part of it: ' +
        '24 other part(s) denied: the default * rule for 0.0.0.0/1 port 22, 128.0.0.0/2 port 22 and 22 more)',
    );
  });

  it('deny 203.0.113.0/24 then allow 0.0.0.0/0: reachable from everywhere but that /24', () => {
    const a = acl([entry(100, 'deny', { cidrBlock: '203.0.113.0/24' }), entry(200, 'allow')]);
    const v = evaluateAcl(a, 'inbound', ssh);
    expect(v).toMatchObject({ status: 'reachable', via: { rule: 200 } });
    expect(v.outcomes.filter((o) => o.status === 'deny')).toEqual([
      {
        peer: '203.0.113.0/24',
        ports: { from: 22, to: 22 },
        status: 'deny',
        rule: 100,
        reason: 'network ACL acl-1 rule 100 denies tcp 22 from 203.0.113.0/24',
      },
    ]);
    expect(v.outcomes.filter((o) => o.status === 'allow')).toHaveLength(24);
  });

  it('a peer inside an entry CIDR is decided whole; a peer outside it is untouched', () => {
    const a = acl([entry(100, 'deny', { cidrBlock: '203.0.113.0/24' }), entry(200, 'allow')]);
    expect(evaluateAcl(a, 'inbound', { ...ssh, peer: '203.0.113.7' })).toMatchObject({
      status: 'unreachable',
      reason: 'network ACL acl-1 rule 100 denies tcp 22 from 203.0.113.7/32',
    });
    expect(evaluateAcl(a, 'inbound', { ...ssh, peer: '198.51.100.0/24' }).outcomes).toHaveLength(1);
  });

  it('every part denied, by different rules: unreachable, naming each rule', () => {
    const a = acl([entry(100, 'deny', { cidrBlock: '0.0.0.0/1' })]);
    const v = evaluateAcl(a, 'inbound', ssh);
    expect(v).toMatchObject({
      status: 'unreachable',
      reason:
        'network ACL acl-1 denies tcp 22 from 0.0.0.0/0: rule 100 for 0.0.0.0/1 port 22; ' +
        'the default * rule for 128.0.0.0/1 port 22',
      hop: { rule: 100 },
    });
  });
});

describe('evaluateAcl: what cannot be decided is unknown, never unreachable', () => {
  it('a TCP entry without a port range, reached before the allow, makes the verdict unknown', () => {
    const a = acl([entry(100, 'deny', { protocol: '6' }), entry(200, 'allow')]);
    expect(evaluateAcl(a, 'inbound', ssh)).toEqual({
      status: 'unknown',
      reason: 'network ACL acl-1 rule 100 cannot be evaluated for tcp 22 from 0.0.0.0/0: it has no port range',
      hop: { type: 'network-acl', id: 'acl-1', direction: 'inbound', rule: 100 },
      outcomes: [
        {
          peer: '0.0.0.0/0',
          ports: { from: 22, to: 22 },
          status: 'unknown',
          rule: 100,
          reason: 'network ACL acl-1 rule 100 cannot be evaluated for tcp 22 from 0.0.0.0/0: it has no port range',
        },
      ],
    });
  });

  it('an unparsable entry CIDR is unknown; a peer that is not an address is unknown', () => {
    const bad = acl([entry(100, 'deny', { cidrBlock: '10.0.0.0/33' }), entry(200, 'allow')]);
    expect(evaluateAcl(bad, 'inbound', ssh)).toMatchObject({
      status: 'unknown',
      reason:
        'network ACL acl-1 rule 100 cannot be evaluated for tcp 22 from 0.0.0.0/0: ' +
        'its CIDR "10.0.0.0/33" is not a valid IPv4 CIDR',
    });
    expect(evaluateAcl(acl([entry(100, 'allow')]), 'inbound', { ...ssh, peer: 'internet' })).toEqual({
      status: 'unknown',
      reason: 'peer "internet" is not an IP address or CIDR',
      outcomes: [],
    });
  });

  it('an allow found for one part beats an undecided other part: reachable', () => {
    const a = acl([entry(100, 'allow', { cidrBlock: '203.0.113.0/24' }), entry(200, 'deny', { protocol: '6' })]);
    expect(evaluateAcl(a, 'inbound', ssh)).toMatchObject({ status: 'reachable', via: { rule: 100 } });
  });
});

describe('aclAdmitsInternet: inbound and the stateless reply [AWS: Control traffic to subnets using network ACLs] [AWS: Ephemeral ports]', () => {
  it('the default ACL (allow all both ways) admits IPv4 and IPv6 [AWS: Default network ACL for a VPC]', () => {
    const def = acl(
      [
        entry(100, 'allow'),
        entry(101, 'allow', { cidrBlock: undefined, ipv6CidrBlock: '::/0' }),
        entry(100, 'allow', {}, true),
        entry(101, 'allow', { cidrBlock: undefined, ipv6CidrBlock: '::/0' }, true),
        ...STAR,
      ],
      { isDefault: true },
    );
    const v4 = aclAdmitsInternet(def, ssh);
    expect(v4).toMatchObject({
      status: 'reachable',
      reason:
        'network ACL acl-1 rule 100 allows tcp 22 from 0.0.0.0/0, and ' +
        'network ACL acl-1 rule 100 allows tcp 1024-65535 to 0.0.0.0/0',
      via: [
        { type: 'network-acl', id: 'acl-1', direction: 'inbound', rule: 100 },
        { type: 'network-acl', id: 'acl-1', direction: 'outbound', rule: 100 },
      ],
    });
    if (v4.status !== 'reachable') throw new Error('unreachable');
    expect(v4.admitted).toEqual([
      {
        peer: '0.0.0.0/0',
        ports: { from: 22, to: 22 },
        replyPorts: { from: 1024, to: 65535 },
        inbound: { type: 'network-acl', id: 'acl-1', direction: 'inbound', rule: 100 },
        outbound: { type: 'network-acl', id: 'acl-1', direction: 'outbound', rule: 100 },
      },
    ]);
    expect(aclAdmitsInternet(def, { ...ssh, peer: '::/0' })).toMatchObject({
      status: 'reachable',
      via: [{ rule: 101 }, { rule: 101 }],
    });
  });

  it('an egress deny on the ephemeral ports blocks the reply, so the port is not exposed', () => {
    const a = acl([
      entry(100, 'allow', tcp(22)),
      entry(100, 'deny', tcp(1024, 65535), true),
      entry(200, 'allow', {}, true),
    ]);
    const v = aclAdmitsInternet(a, ssh);
    expect(v).toMatchObject({
      status: 'unreachable',
      reason:
        'network ACL acl-1 rule 100 allows tcp 22 from 0.0.0.0/0, but no reply gets out (network ACLs are stateless): ' +
        'network ACL acl-1 rule 100 denies tcp 1024-65535 to 0.0.0.0/0',
      hop: { type: 'network-acl', id: 'acl-1', direction: 'outbound', rule: 100 },
    });
  });

  it('no outbound rule at all: the * rule drops the reply', () => {
    const v = aclAdmitsInternet(acl([entry(100, 'allow', tcp(22))]), ssh);
    expect(v).toMatchObject({ status: 'unreachable', hop: { direction: 'outbound', rule: 32767 } });
  });

  it('replies allowed to part of the ephemeral range suffice: the client picks its port [AWS: Ephemeral ports]', () => {
    const a = acl([entry(100, 'allow', tcp(22)), entry(100, 'allow', tcp(49152, 65535), true)]);
    const v = aclAdmitsInternet(a, ssh);
    expect(v.status).toBe('reachable');
    if (v.status !== 'reachable') throw new Error('unreachable');
    expect(v.admitted).toEqual([
      {
        peer: '0.0.0.0/0',
        ports: { from: 22, to: 22 },
        replyPorts: { from: 49152, to: 65535 },
        inbound: { type: 'network-acl', id: 'acl-1', direction: 'inbound', rule: 100 },
        outbound: { type: 'network-acl', id: 'acl-1', direction: 'outbound', rule: 100 },
      },
    ]);
  });

  it('a narrower client range can be asked for: Linux clients (32768-61000) get no reply on 49152-65535 only', () => {
    const a = acl([entry(100, 'allow', tcp(22)), entry(100, 'allow', tcp(61001, 65535), true)]);
    expect(aclAdmitsInternet(a, ssh, { ephemeral: { from: 32768, to: 61000 } })).toMatchObject({
      status: 'unreachable',
      hop: { direction: 'outbound', rule: 32767 },
    });
  });

  it('a port range can be asked: the admitted parts say which destination ports get in, from which peer', () => {
    const a = acl([
      entry(90, 'deny', { ...tcp(22, 22), cidrBlock: '0.0.0.0/0' }),
      entry(100, 'allow', { ...tcp(0, 1023), cidrBlock: '203.0.113.0/24' }),
      entry(100, 'allow', tcp(1024, 65535), true),
    ]);
    const v = aclAdmitsInternet(a, { protocol: 'tcp', ports: { from: 20, to: 25 }, peer: '0.0.0.0/0' });
    if (v.status !== 'reachable') throw new Error(v.reason);
    expect(v.admitted.map((x) => [x.peer, x.ports, x.inbound.rule, x.outbound?.rule])).toEqual([
      ['203.0.113.0/24', { from: 20, to: 21 }, 100, 100],
      ['203.0.113.0/24', { from: 23, to: 25 }, 100, 100],
    ]);
    const denied = aclAdmitsInternet(a, { protocol: 'tcp', ports: { from: 22, to: 22 }, peer: '0.0.0.0/0' });
    expect(denied).toMatchObject({ status: 'unreachable', hop: { direction: 'inbound', rule: 90 } });
  });

  it('the reply goes to the admitted peers only: inbound from a /24, replies allowed to a /16 holding it', () => {
    const a = acl([
      entry(100, 'allow', { ...tcp(22), cidrBlock: '203.0.113.0/24' }),
      entry(100, 'allow', { ...tcp(1024, 65535), cidrBlock: '203.0.0.0/16' }, true),
    ]);
    const v = aclAdmitsInternet(a, ssh);
    if (v.status !== 'reachable') throw new Error(v.reason);
    expect(v.admitted.map((x) => [x.peer, x.inbound.rule, x.outbound?.rule])).toEqual([['203.0.113.0/24', 100, 100]]);
  });

  it('ICMP echo needs the echo reply (type 0) out; other ICMP types expect no reply [AWS: IcmpTypeCode]', () => {
    const inEcho = entry(100, 'allow', { protocol: '1', icmpTypeCode: { type: 8, code: -1 } });
    const ping = { protocol: 'icmp' as const, icmpType: 8, icmpCode: 0, peer: '0.0.0.0/0' };
    expect(aclAdmitsInternet(acl([inEcho]), ping)).toMatchObject({
      status: 'unreachable',
      hop: { direction: 'outbound', rule: 32767 },
    });
    const outReply = entry(100, 'allow', { protocol: '1', icmpTypeCode: { type: 0, code: -1 } }, true);
    expect(aclAdmitsInternet(acl([inEcho, outReply]), ping)).toMatchObject({
      status: 'reachable',
      via: [{ rule: 100 }, { direction: 'outbound', rule: 100 }],
    });
    const unreach = entry(110, 'allow', { protocol: '1', icmpTypeCode: { type: 3, code: -1 } });
    const v = aclAdmitsInternet(acl([unreach]), { protocol: 'icmp', icmpType: 3, icmpCode: 4, peer: '0.0.0.0/0' });
    expect(v).toMatchObject({
      status: 'reachable',
      reason:
        'network ACL acl-1 rule 110 allows icmp type 3 code 4 from 0.0.0.0/0; no reply expected for icmp type 3 code 4',
      via: [{ direction: 'inbound', rule: 110 }],
    });
  });

  it('inbound denied stops there, with the inbound rule as the hop', () => {
    expect(aclAdmitsInternet(acl([entry(100, 'deny', tcp(22))]), ssh)).toMatchObject({
      status: 'unreachable',
      reason: 'network ACL acl-1 rule 100 denies tcp 22 from 0.0.0.0/0',
      hop: { direction: 'inbound', rule: 100 },
    });
  });

  it('an undecidable outbound entry makes the whole verdict unknown', () => {
    const a = acl([
      entry(100, 'allow', tcp(22)),
      entry(100, 'deny', { protocol: '6' }, true),
      entry(200, 'allow', {}, true),
    ]);
    expect(aclAdmitsInternet(a, ssh)).toMatchObject({
      status: 'unknown',
      reason:
        'network ACL acl-1 rule 100 allows tcp 22 from 0.0.0.0/0, but the reply is unknown: ' +
        'network ACL acl-1 rule 100 cannot be evaluated for tcp 1024-65535 to 0.0.0.0/0: it has no port range',
    });
  });
});

describe('aclFor and missing ACLs: unknown, never unreachable [AWS: Control traffic to subnets using network ACLs]', () => {
  const a1 = acl([], { id: 'acl-1', subnetIds: ['subnet-1', 'subnet-2'] });
  const a2 = acl([], { id: 'acl-2', subnetIds: ['subnet-3'], isDefault: true });

  it('finds the one ACL associated with the subnet', () => {
    expect(aclFor('subnet-2', VPC, [a2, a1])).toEqual({ status: 'known', acl: a1 });
  });

  it('a subnet no ACL names is unknown (every subnet has one: the data was not collected), not the default ACL', () => {
    expect(aclFor('subnet-9', VPC, [a1, a2])).toEqual({
      status: 'unknown',
      reason: 'no network ACL known for subnet subnet-9 (network ACLs not collected)',
    });
    expect(aclFor('subnet-9', VPC, [])).toMatchObject({ status: 'unknown' });
  });

  it('two ACLs claiming one subnet, or an ACL of another VPC, is inconsistent data: unknown', () => {
    const dup = acl([], { id: 'acl-3', subnetIds: ['subnet-1'] });
    expect(aclFor('subnet-1', VPC, [a1, dup])).toEqual({
      status: 'unknown',
      reason: 'subnet subnet-1 is associated with 2 network ACLs (acl-1, acl-3)',
    });
    expect(aclFor('subnet-3', 'vpc-2', [a2])).toEqual({
      status: 'unknown',
      reason: "network ACL acl-2 of subnet subnet-3 belongs to vpc-1, not the subnet's vpc-2",
    });
  });

  it('evaluating an unknown ACL is unknown in both functions', () => {
    expect(evaluateAcl(undefined, 'inbound', ssh)).toEqual({
      status: 'unknown',
      reason: 'no network ACL known (not collected): inbound traffic unknown',
      outcomes: [],
    });
    expect(aclAdmitsInternet(undefined, ssh)).toMatchObject({
      status: 'unknown',
      reason: 'no network ACL known (not collected): inbound traffic unknown',
    });
  });
});
