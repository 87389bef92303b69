/**
 * The fan-out baseline must read exactly what the estate holds (the benchmark's count check relies on
 * it): run it in-process against the fake AWS endpoint with several pages per API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBaseline } from '../../support/fanout-baseline.js';
import { generateEstate } from '../../support/estate/index.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/server.js';
import { useOfflineAwsEnv } from '../helpers/aws-env.js';

let aws: FakeAws;

const estate = generateEstate({ sgs: 240, regions: 2, seed: 11, enisPerSg: 1.5 });

useOfflineAwsEnv('AKIASGAUDITBENCHTEST', 'notARealSecret');
beforeAll(async () => {
  aws = await startFakeAws({
    estates: new Map(estate.regions.map((r) => [r.region, r])),
    accountId: estate.regions[0].accountId,
    regions: estate.regions.map((r) => r.region),
    optedOutRegions: ['af-south-1'],
    pageSizeCap: 25, // several pages per API, whatever page size is asked for
  });
  process.env.AWS_ENDPOINT_URL = aws.url;
});

afterAll(async () => {
  await aws?.close();
});

describe('fan-out baseline', () => {
  it('counts every resource of every enabled region and skips the opted-out one', async () => {
    const counts = await runBaseline({ retryMode: 'standard', maxAttempts: 3, homeRegion: 'us-east-1' });
    const sum = (f: (r: (typeof estate.regions)[number]) => number) => estate.regions.reduce((n, r) => n + f(r), 0);
    expect(counts).toEqual({
      account: estate.regions[0].accountId,
      regions: 2,
      securityGroups: sum((r) => r.securityGroups.length),
      networkInterfaces: sum((r) => r.networkInterfaces.length),
      prefixLists: sum((r) => r.prefixLists.length),
      prefixListEntries: sum((r) => r.prefixLists.reduce((n, p) => n + (p.entries?.length ?? 0), 0)),
      loadBalancers: sum((r) => r.loadBalancers.length),
      loadBalancerTags: sum((r) => r.loadBalancers.length),
      dbClusters: sum((r) => r.dbClusters.length),
      dbInstances: sum((r) => r.dbInstances.length),
    });
    expect(counts.networkInterfaces).toBe(360);
    // Paginated (25 per page) and read-only.
    expect(aws.stats.byAction['ec2:DescribeSecurityGroups']).toBeGreaterThanOrEqual(10);
    expect(aws.actions().every((a) => /:(Describe|Get)/.test(a))).toBe(true);
    expect(aws.log.some((r) => r.region === 'af-south-1' && r.action !== 'DescribeRegions')).toBe(false);
  });
});
