import { describe, expect, it } from 'vitest';
import { HIGH_RISK_PORTS, worldOpenHighRiskPorts as rule } from '../../rules/world-open-high-risk-ports.js';
import { region, sg, snapshot, tcp } from '../helpers/estate.js';
import { oneGroup, ruleTester, withOptions } from '../helpers/rule-tester.js';

const ID = 'world-open-high-risk-ports';
const t = ruleTester(rule);

describe(ID, () => {
  it('uses the Security Hub EC2.19 list', () => {
    expect(HIGH_RISK_PORTS).toEqual([
      20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088,
      8888, 9200, 9300,
    ]);
  });

  it.each(HIGH_RISK_PORTS)('tcp %i from the world fails', (port) => {
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
    t.each([443, 80, 6379, 27017], (port) => ({
      name: `tcp ${port} from the world is not on the list`,
      snapshot: oneGroup([tcp(port, '0.0.0.0/0')]),
      passes: [{ messageId: 'closed', resource: 'sg-1' }],
      findings: [],
    })),
  );

  it('one finding per group for several ports', () => {
    const snap = snapshot(
      region({ groups: [sg('sg-1', { ingress: [tcp([20, 25], '0.0.0.0/0'), tcp(8080, '::/0')] })] }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'open', resource: 'sg-1' }] });
    expect(t.finding(snap, 'sg-1').data).toMatchObject({ ports: '20-23, 25, 8080' });
  });

  it('options.ports narrows the list', () => {
    t.assert({
      snapshot: snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(8080, '0.0.0.0/0')] })] })),
      settings: withOptions(ID, { ports: [22] }),
      passes: [{ messageId: 'closed', resource: 'sg-1' }],
      findings: [],
    });
  });
});
