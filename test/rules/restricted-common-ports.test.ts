import { describe, expect, it } from 'vitest';
import { restrictedCommonPorts as rule } from '../../rules/restricted-common-ports.js';
import { all, region, sg, snapshot, tcp, udp } from '../helpers/estate.js';
import { oneGroup, ruleTester, withOptions } from '../helpers/rule-tester.js';

const ID = 'restricted-common-ports';
const t = ruleTester(rule);

describe(ID, () => {
  it('defaults to the AWS Config blocked ports', () => {
    expect(rule.options!.parse({})).toEqual({ ports: [20, 21, 3389, 3306, 4333], loadBalancerPorts: [80, 443] });
  });

  it.each([20, 21, 3389, 3306, 4333])('tcp %i from the world fails (IPv4 and IPv6)', (port) => {
    t.assert({
      snapshot: oneGroup([tcp(port, '0.0.0.0/0')]),
      passes: [],
      findings: [{ messageId: 'open', resource: 'sg-1' }],
    });
    t.assert({
      snapshot: oneGroup([tcp(port, '::/0')]),
      passes: [],
      findings: [{ messageId: 'open', resource: 'sg-1' }],
    });
  });

  t.run(
    t.each(
      [
        ['SSH is not in the Config default list', [tcp(22, '0.0.0.0/0')]],
        ['udp 20-21', [udp([20, 21], '0.0.0.0/0')]],
        ['blocked port from a private range', [tcp(3389, '192.168.0.0/16')]],
      ],
      (_name, ingress) => ({
        name: `${_name} passes`,
        snapshot: oneGroup(ingress),
        passes: [{ messageId: 'closed', resource: 'sg-1' }],
        findings: [],
      }),
    ),
  );

  t.run(
    t.each(
      [
        ['holding 0.0.0.0/0 fails', [{ cidr: '0.0.0.0/0' }], 'fail', 'open'],
        ['of private ranges passes', [{ cidr: '10.0.0.0/8' }], 'pass', 'closed'],
        ['whose entries were not collected is unknown', undefined, 'error', 'unknown'],
      ],
      (_name, entries, status, messageId) => ({
        name: `blocked port from a prefix list ${_name} (issue #10)`,
        snapshot: oneGroup([tcp(3306, 'pl-1')], [{ id: 'pl-1', ...(entries ? { entries } : {}) }]),
        ...t.verdict(status, messageId, 'sg-1'),
      }),
    ),
  );

  it('protocol -1 opens every blocked port, reported once', () => {
    const snap = snapshot(region({ groups: [sg('sg-1', { ingress: [all('0.0.0.0/0', '::/0')] })] }));
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'open', resource: 'sg-1' }] });
    expect(t.finding(snap, 'sg-1').data).toMatchObject({
      ports: '20-21, 3306, 3389, 4333',
      sources: '0.0.0.0/0, ::/0',
    });
  });

  it('options.ports replaces the blocked list', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-1', { ingress: [tcp(22, '0.0.0.0/0')] }), sg('sg-2', { ingress: [tcp(3389, '0.0.0.0/0')] })],
      }),
    );
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { ports: [22] }),
      passes: [{ messageId: 'closed', resource: 'sg-2' }],
      findings: [{ messageId: 'open', resource: 'sg-1' }],
    });
  });
});
