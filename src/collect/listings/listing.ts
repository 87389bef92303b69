/**
 * What the listers share. A lister is one resource kind: the IAM actions it calls, how it starts its
 * chain of pages and what it records; `collectRegion` (../region.ts) runs the ones the selected rules
 * need, all at once, in one `RegionListing`. Adding a listing (DescribeSubnets, DescribeRouteTables…)
 * is one file here and one line in index.ts.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { RegionSnapshot, ResourceKind, SecurityGroup } from '../../snapshot/schema.js';
import type { CallRunner } from '../runner.js';
import { paginate } from './paginate.js';

/** One account/region being listed: its clients, its share of the call limit, the snapshot it fills. */
export interface RegionListing {
  readonly needs: ReadonlySet<ResourceKind>;
  readonly rs: RegionSnapshot;
  readonly runner: CallRunner;
  /** Parse the CPU-heavy listings with sg-audit's one-pass parser (../fast-xml/) instead of the SDK's. */
  readonly fastXml: boolean;
  /** The region's clients, made on first use (one each, shared by the listers). */
  ec2(): EC2Client;
  elb(): ElasticLoadBalancingV2Client;
  rds(): RDSClient;
  /** A listing's chain of calls; when it fails the kind is dropped and the error recorded under `api`. */
  chain(kind: ResourceKind, api: string, work: Promise<void>): void;
  /**
   * A call fired from a chain's page (prefix-list entries, load-balancer tags), awaited once the chains
   * have settled; `context` prefixes its error message.
   */
  followUp(kind: ResourceKind, api: string, work: Promise<void>, context?: string): void;
  /** Be told of each security group as its page arrives (the prefix lists it references). */
  watchSecurityGroups(listener: (sg: SecurityGroup) => void): void;
  /** A security group was read. */
  sawSecurityGroup(sg: SecurityGroup): void;
}

export interface Lister {
  readonly kind: ResourceKind;
  /** IAM action names of every call (the README's "What is called" table and minimal policy). */
  readonly apis: readonly string[];
  /** Listed whatever the rules need (security groups). */
  readonly always?: boolean;
  /** Not complete when one of these kinds failed. */
  readonly dependsOn?: readonly ResourceKind[];
  /** Keep the records when a call failed (the lister says in them what is unknown) instead of dropping them all. */
  readonly keepsPartial?: boolean;
  /**
   * Start the listing's chains (they run concurrently with every other listing of the region); what it
   * returns runs once every call of the region has settled.
   */
  start(l: RegionListing): (() => void) | void;
}

/**
 * The one pagination helper: follow a paginated API under the region's call limit (one slot per
 * request), each page handed to `onPage` as soon as it arrives.
 */
export function listPages<P>(
  l: RegionListing,
  fetchPage: (token: string | undefined, abortSignal: AbortSignal | undefined) => Promise<P>,
  nextToken: (page: P) => string | undefined,
  onPage: (page: P) => void,
): Promise<void> {
  return paginate((token) => l.runner.run((abortSignal) => fetchPage(token, abortSignal)), nextToken, onPage);
}

/** Thrown when AWS returns a record without the fields the snapshot requires. */
export class InvalidResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidResponse';
  }
}

export function has<T>(v: T | undefined | null): v is T {
  return v !== undefined && v !== null;
}
