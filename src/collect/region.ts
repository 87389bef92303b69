/**
 * Collect one account/region: every API the selected rules need (one lister per resource kind,
 * listings/), paginated with the largest page size, all chains started at once, dependent calls fired
 * as soon as the pages that reveal them arrive (prefix-list entries per SG page, LB tag batches per LB
 * page). The region's cost is its longest chain of pages, not the sum of its calls.
 *
 * A kind is listed in `collected` only when every call for it succeeded. A kind whose calls failed is
 * dropped (a partial listing is not an inventory) and its error recorded; prefix lists are kept per list,
 * without `entries` for a list whose entries could not be read.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import {
  emptyRegion,
  RESOURCE_KINDS,
  type RegionSnapshot,
  type ResourceKind,
  type SecurityGroup,
} from '../snapshot/schema.js';
import { ec2Client, elbClient, rdsClient, type SdkSettings } from './aws/clients.js';
import { isAbortError, toCollectionError, type Scrubber } from './aws/errors.js';
import { LISTERS } from './listings/index.js';
import type { RegionListing } from './listings/listing.js';
import type { CallRunner } from './runner.js';

export { APIS_BY_KIND } from './listings/index.js';

export interface RegionJob {
  accountId: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  needs: Set<ResourceKind>;
  sdk: SdkSettings;
  runner: CallRunner;
  scrubber: Scrubber;
  now?: () => Date;
}

export async function collectRegion(job: RegionJob): Promise<RegionSnapshot> {
  const { accountId, region, credentials, needs, sdk, runner, scrubber } = job;
  const rs = emptyRegion(accountId, region);
  const failed = new Set<ResourceKind>();
  const seenErrors = new Set<string>();

  const fail = (kind: ResourceKind, api: string, err: unknown, context?: string) => {
    if (isAbortError(err)) throw err;
    failed.add(kind);
    const e = toCollectionError(api, err, scrubber);
    if (context) e.message = `${context}: ${e.message}`;
    const key = `${e.api}\u0000${e.code}\u0000${e.message}`;
    if (!seenErrors.has(key)) {
      seenErrors.add(key);
      rs.errors.push(e);
    }
  };
  const guard = (kind: ResourceKind, api: string, p: Promise<void>, context?: string): Promise<void> => {
    const guarded = p.catch((err: unknown) => fail(kind, api, err, context));
    // Only interruptions get through `fail`; mark them handled here, they are awaited below.
    guarded.catch(() => {});
    return guarded;
  };

  const chains: Promise<void>[] = [];
  /** Calls fired from inside a chain's pages; all pushed before the chains settle. */
  const followUps: Promise<void>[] = [];
  const groupWatchers: ((sg: SecurityGroup) => void)[] = [];
  let ec2: EC2Client | undefined;
  let elb: ElasticLoadBalancingV2Client | undefined;
  let rds: RDSClient | undefined;
  const listing: RegionListing = {
    needs,
    rs,
    runner,
    fastXml: sdk.fastXml !== false,
    ec2: () => (ec2 ??= ec2Client(region, credentials, sdk)),
    elb: () => (elb ??= elbClient(region, credentials, sdk)),
    rds: () => (rds ??= rdsClient(region, credentials, sdk)),
    chain: (kind, api, work) => void chains.push(guard(kind, api, work)),
    followUp: (kind, api, work, context) => void followUps.push(guard(kind, api, work, context)),
    watchSecurityGroups: (listener) => void groupWatchers.push(listener),
    sawSecurityGroup: (sg) => {
      for (const watch of groupWatchers) watch(sg);
    },
  };

  const listers = LISTERS.filter((l) => l.always || needs.has(l.kind));
  const finishers = listers.map((l) => l.start(listing));

  await Promise.all(chains);
  await Promise.all(followUps);

  for (const l of listers) if (l.dependsOn?.some((k) => failed.has(k))) failed.add(l.kind);
  rs.collected = RESOURCE_KINDS.filter((k) => needs.has(k) && !failed.has(k));
  for (const l of listers) if (failed.has(l.kind) && !l.keepsPartial) rs[l.kind] = [];
  for (const finish of finishers) finish?.();
  rs.errors.sort((a, b) => a.api.localeCompare(b.api) || a.message.localeCompare(b.message));
  rs.collectedAt = (job.now ?? (() => new Date()))().toISOString();
  return rs;
}
