/**
 * What the generator's phases share: the region lists, the partner account, and the scope / VPC / group
 * shell records that later phases fill in (so rules can reference any group in any scope).
 */
import type {
  DbInstance,
  LoadBalancer,
  NetworkInterface,
  PrefixList,
  RegionSnapshot,
  SecurityGroup,
} from '../../src/snapshot/schema.js';
import type { Prng } from './prng.js';

/** The 17 regions enabled by default in every account, then opt-in regions. */
export const DEFAULT_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;
export const OPT_IN_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
] as const;
export const ALL_REGIONS: readonly string[] = [...DEFAULT_REGIONS, ...OPT_IN_REGIONS];

/** Account outside the estate whose groups are referenced across accounts (peering, partners). */
export const PARTNER_ACCOUNT = '999988887777';

export type Role = 'default' | 'lb' | 'web' | 'app' | 'data' | 'bastion' | 'misc';
export const TEAMS = ['payments', 'search', 'identity', 'platform', 'data', 'mobile', 'growth'] as const;

export interface Vpc {
  id: string;
  cidr: string;
  /** Second octet of the VPC's 10.x.0.0/16. */
  octet: number;
  ipv6?: string;
  byRole: Map<Role, SgShell[]>;
  all: SgShell[];
}

export interface SgShell {
  sg: SecurityGroup;
  role: Role;
  vpc: Vpc;
  /** DB port for data-tier groups. */
  dbPort: number;
}

export interface ScopeState {
  accountId: string;
  region: string;
  /** SGs to create here. */
  count: number;
  vpcs: Vpc[];
  shells: SgShell[];
  prefixLists: PrefixList[];
  /** Prefix-list ids by purpose. */
  pl: { corp: string; vpn: string; partnerV6: string; s3: string; dynamodb: string };
  rs: RegionSnapshot;
  /** Every network interface made in phase 3, with what it belongs to (read by phase 4, the network). */
  enis: EniMeta[];
}

/** What a network interface is for: it decides the subnet tier and the public address in phase 4. */
export type EniKind = 'lb' | 'db' | 'instance' | 'lambda';

export interface EniMeta {
  eni: NetworkInterface;
  vpc: Vpc;
  kind: EniKind;
  /** Role of an instance ENI's primary group. */
  role?: Role;
  lb?: LoadBalancer;
  db?: DbInstance;
}

export class Ids {
  private n = 0;
  constructor(private readonly rng: Prng) {}
  /** AWS-style id: random-looking prefix + a counter, so ids are unique across the whole estate. */
  next(prefix: string, hexLen = 17): string {
    const counter = (this.n++).toString(16).padStart(8, '0');
    return `${prefix}-${this.rng.hex(hexLen - counter.length)}${counter}`;
  }
}
