import { describe, expect, it } from 'vitest';
import { sgRuleCount as rule } from '../../rules/sg-rule-count.js';
import { check, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { findingFor, withOptions } from './lp-helpers.js';

const ID = 'sg-rule-count';
/** A group with `n` inbound rules (one per /32 source, in one permission) plus the default egress rule. */
const withRules = (id: string, n: number) =>
  sg(id, { ingress: [tcp(443, ...Array.from({ length: n }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}/32`))] });

describe(ID, () => {
  it('counts one rule per source, inbound plus outbound: 50 passes, 51 fails', () => {
    const snap = snapshot(region({ groups: [withRules('sg-50', 49), withRules('sg-51', 50)] }));
    expect(check(rule, snap)).toEqual([
      ['fail', ID, 'tooMany', 'sg-51'],
      ['pass', ID, 'ok', 'sg-50'],
    ]);
    const f = findingFor(rule, snap, 'sg-51');
    expect(f.message).toBe('Security group sg-51 (51) has 51 rules (50 inbound, 1 outbound), more than 50.');
    expect(f.severity).toBe('low');
    expect(f.remediation).toEqual(['aws ec2 describe-security-group-rules --region us-east-1 --filters Name=group-id,Values=sg-51']);
  });

  it('options.maxRules', () => {
    const snap = snapshot(region({ groups: [withRules('sg-a', 2), withRules('sg-b', 1)] }));
    expect(check(rule, snap, withOptions(ID, { maxRules: 2 }))).toEqual([
      ['fail', ID, 'tooMany', 'sg-a'],
      ['pass', ID, 'ok', 'sg-b'],
    ]);
  });
});
