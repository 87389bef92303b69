import { describe, expect, it } from 'vitest';
import { DATABASE_PORTS, worldOpenDatabasePorts as rule } from '../../rules/world-open-database-ports.js';
import { all, lb, region, sg, snapshot, tcp, udp } from '../helpers/estate.js';
import { oneGroup, ruleTester, withOptions } from '../helpers/rule-tester.js';

const ID = 'world-open-database-ports';
const t = ruleTester(rule);

describe(ID, () => {
  it('covers the documented database, cache and search ports', () => {
    expect([...DATABASE_PORTS].sort((a, b) => a - b)).toEqual([
      1433, 1434, 1521, 2483, 2484, 3306, 5432, 5601, 6379, 7000, 7199, 8888, 9042, 9160, 9200, 9300, 11211, 27017,
      27018, 27019,
    ]);
  });

  t.run(
    t.each(DATABASE_PORTS, (port) => ({
      name: `tcp ${port} from 0.0.0.0/0 fails`,
      snapshot: oneGroup([tcp(port, '0.0.0.0/0')]),
      passes: [],
      findings: [{ messageId: 'open', resource: 'sg-1' }],
    })),
  );

  t.run(
    t.each(DATABASE_PORTS, (port) => ({
      name: `tcp ${port} from ::/0 fails`,
      snapshot: oneGroup([tcp(port, '::/0')]),
      passes: [],
      findings: [{ messageId: 'open', resource: 'sg-1' }],
    })),
  );

  t.run(
    t.each(
      [
        ['web ports', [tcp(80, '0.0.0.0/0'), tcp(443, '::/0')]],
        ['udp 11211 (ports are TCP)', [udp(11211, '0.0.0.0/0')]],
        ['database port from the VPC', [tcp(3306, '10.0.0.0/16'), tcp(5432, '100.64.0.0/10')]],
        ['database port from a group', [tcp(5432, 'sg-app')]],
        ['database port from a public /32', [tcp(5432, '198.51.100.10/32')]],
      ],
      (_name, ingress) => ({
        name: `${_name} pass`,
        snapshot: oneGroup(ingress),
        passes: [{ messageId: 'closed', resource: 'sg-1' }],
        findings: [],
      }),
    ),
  );

  it('aggregates a port range and all-traffic into one finding', () => {
    const snap = snapshot(
      region({ groups: [sg('sg-1', { ingress: [tcp([27017, 27019], '0.0.0.0/0'), tcp(6379, '::/0')] })] }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'open', resource: 'sg-1' }] });
    expect(t.finding(snap, 'sg-1').data).toMatchObject({ ports: '6379, 27017-27019', sources: '0.0.0.0/0, ::/0' });
    const open = snapshot(region({ groups: [sg('sg-1', { ingress: [all('::/0')] })] }));
    expect(t.finding(open, 'sg-1').data).toMatchObject({
      ports:
        '1433-1434, 1521, 2483-2484, 3306, 5432, 5601, 6379, 7000, 7199, 8888, 9042, 9160, 9200, 9300, 11211, 27017-27019',
    });
  });

  it('groups tagged for the lb tier count as load-balancer groups for the exemption', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-lb', { tier: 'lb', ingress: [tcp(443, '0.0.0.0/0')] }),
          sg('sg-2', { ingress: [tcp(443, '0.0.0.0/0')] }),
        ],
      }),
    );
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { ports: [443, 3306] }),
      passes: [{ messageId: 'closed', resource: 'sg-lb' }],
      findings: [{ messageId: 'open', resource: 'sg-2' }],
    });
  });

  it('groups of internal load balancers are not exempt', () => {
    const snap = snapshot(
      region({
        groups: [sg('sg-int', { ingress: [tcp(443, '0.0.0.0/0')] })],
        lbs: [lb('int', ['sg-int'], { scheme: 'internal' })],
      }),
    );
    t.assert({
      snapshot: snap,
      settings: withOptions(ID, { ports: [443] }),
      passes: [],
      findings: [{ messageId: 'open', resource: 'sg-int' }],
    });
  });
});
