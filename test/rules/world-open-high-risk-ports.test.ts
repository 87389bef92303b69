import { describe, expect, it } from 'vitest';
import { HIGH_RISK_PORTS, worldOpenHighRiskPorts as rule } from '../../rules/world-open-high-risk-ports.js';
import { check, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { findingFor, onIngress, withOptions } from './lp-helpers.js';

const ID = 'world-open-high-risk-ports';

describe(ID, () => {
  it('uses the Security Hub EC2.19 list', () => {
    expect(HIGH_RISK_PORTS).toEqual([20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300]);
  });

  it.each(HIGH_RISK_PORTS)('tcp %i from the world fails', (port) => {
    expect(onIngress(rule, [tcp(port, '0.0.0.0/0')])).toEqual([['fail', ID, 'open', 'sg-1']]);
    expect(onIngress(rule, [tcp(port, '::/0')])).toEqual([['fail', ID, 'open', 'sg-1']]);
  });

  it.each([443, 80, 6379, 27017])('tcp %i from the world is not on the list', (port) => {
    expect(onIngress(rule, [tcp(port, '0.0.0.0/0')])).toEqual([['pass', ID, 'closed', 'sg-1']]);
  });

  it('one finding per group for several ports', () => {
    const snap = snapshot(region({ groups: [sg('sg-1', { ingress: [tcp([20, 25], '0.0.0.0/0'), tcp(8080, '::/0')] })] }));
    expect(check(rule, snap)).toEqual([['fail', ID, 'open', 'sg-1']]);
    expect(findingFor(rule, snap, 'sg-1').data).toMatchObject({ ports: '20-23, 25, 8080' });
  });

  it('options.ports narrows the list', () => {
    expect(check(rule, snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(8080, '0.0.0.0/0')] })] })), withOptions(ID, { ports: [22] }))).toEqual([
      ['pass', ID, 'closed', 'sg-1'],
    ]);
  });
});
