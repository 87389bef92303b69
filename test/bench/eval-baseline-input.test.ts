/**
 * The eval benchmark's baseline variant (docs/performance.md, "Internet exposure"): the baseline build predates
 * some snapshot kinds and rejects a region that lists them as collected, so it reads the `with` input without
 * them — the same groups, network and everything else.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineInputFile, KINDS_AFTER_BASELINE } from '../../support/baseline-input.js';

describe('eval: the baseline input', () => {
  it('drops the kinds newer than the baseline build, records and collected, and keeps the rest as it is', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-eval-'));
    const file = path.join(dir, 'estate.json');
    const region = {
      accountId: '111111111111',
      region: 'us-east-1',
      collected: ['securityGroups', 'vpcPeeringConnections', 'subnets'],
      securityGroups: [{ id: 'sg-1' }],
      subnets: [{ id: 'subnet-1' }],
      vpcPeeringConnections: [{ id: 'pcx-1' }],
    };
    writeFileSync(file, JSON.stringify({ schemaVersion: 2, regions: [region] }));
    expect(KINDS_AFTER_BASELINE).toEqual(['vpcPeeringConnections']);
    const out = baselineInputFile(file);
    expect(out).toBe(path.join(dir, 'estate.baseline-input.json'));
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({
      schemaVersion: 2,
      regions: [
        {
          accountId: '111111111111',
          region: 'us-east-1',
          collected: ['securityGroups', 'subnets'],
          securityGroups: [{ id: 'sg-1' }],
          subnets: [{ id: 'subnet-1' }],
        },
      ],
    });
    // Cached: a second call does not rewrite it.
    writeFileSync(out, '{"cached":true}');
    expect(JSON.parse(readFileSync(baselineInputFile(file), 'utf8'))).toEqual({ cached: true });
  });
});
