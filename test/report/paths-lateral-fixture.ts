/** Hand-built lateral listings (the LateralPath contract of src/exposure/types.ts) for the renderer tests. */
import type { LateralPath, PathTarget } from '../../src/exposure/types.js';
import type { LateralListing } from '../../src/report/paths.js';

export const ACCOUNT = '111111111111';
export const REGION = 'us-east-1';
const LB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/public-alb/0123456789abcdef`;

const web: PathTarget = { type: 'network-interface', id: 'eni-web', attachedTo: { type: 'instance', id: 'i-web' } };
const db: PathTarget = {
  type: 'network-interface',
  id: 'eni-db',
  attachedTo: { type: 'db-instance', id: 'orders', alternatives: [{ type: 'db-instance', id: 'orders-b' }] },
};

/** web → db across subnets: egress, ACL out, local route, ACL in, ingress. */
export const webToDb: LateralPath = {
  from: web,
  target: db,
  protocol: 'tcp',
  ports: [[5432, 5432]],
  hops: [
    { type: 'security-group', id: 'sg-web', permissionIndex: 0, direction: 'egress' },
    { type: 'network-acl', id: 'acl-web', direction: 'outbound', rule: 100 },
    { type: 'route-table', id: 'rtb-web', route: 'local' },
    { type: 'network-acl', id: 'acl-db', direction: 'inbound', rule: 110 },
    { type: 'security-group', id: 'sg-db', permissionIndex: 1 },
  ],
  accountId: ACCOUNT,
  region: REGION,
  steps: 1,
};

/** app → a ledger database in another VPC through a transit gateway: taken on trust. */
export const viaTgw: LateralPath = {
  from: { type: 'network-interface', id: 'eni-app' },
  target: { type: 'network-interface', id: 'eni-ledger', attachedTo: { type: 'db-cluster', id: 'ledger' } },
  protocol: 'tcp',
  ports: [[3306, 3306]],
  hops: [
    { type: 'security-group', id: 'sg-app', permissionIndex: 2, direction: 'egress' },
    { type: 'route-table', id: 'rtb-app', route: '10.1.0.0/16' },
    { type: 'transit-gateway', id: 'tgw-1' },
    { type: 'security-group', id: 'sg-ledger', permissionIndex: 0 },
  ],
  accountId: ACCOUNT,
  region: REGION,
  steps: 1,
  assumptions: ['via tgw-1, not modelled further'],
};

/** A reporting instance in a peered VPC (pcx-1) reaching the database. */
export const viaPcx: LateralPath = {
  from: { type: 'network-interface', id: 'eni-report', attachedTo: { type: 'instance', id: 'i-report' } },
  target: db,
  protocol: 'tcp',
  ports: [[5432, 5432]],
  hops: [
    { type: 'security-group', id: 'sg-report', permissionIndex: 0, direction: 'egress' },
    { type: 'route-table', id: 'rtb-report', route: '10.0.0.0/16' },
    { type: 'vpc-peering-connection', id: 'pcx-1' },
    { type: 'security-group', id: 'sg-db', permissionIndex: 2 },
  ],
  accountId: ACCOUNT,
  region: REGION,
  steps: 1,
};

/** internet → bastion → database: two steps joined by the bastion's network-interface hop. */
export const twoSteps: LateralPath = {
  from: 'internet',
  source: '0.0.0.0/0',
  target: db,
  protocol: 'tcp',
  ports: [[5432, 5432]],
  hops: [
    { type: 'internet-gateway', id: 'igw-1' },
    { type: 'route-table', id: 'rtb-main', route: '0.0.0.0/0' },
    { type: 'network-acl', id: 'acl-pub', direction: 'inbound', rule: 100 },
    { type: 'network-acl', id: 'acl-pub', direction: 'outbound', rule: 100 },
    { type: 'security-group', id: 'sg-bastion', permissionIndex: 0 },
    { type: 'network-interface', id: 'eni-bastion' },
    { type: 'security-group', id: 'sg-bastion', permissionIndex: 0, direction: 'egress' },
    { type: 'network-acl', id: 'acl-pub', direction: 'outbound', rule: 100 },
    { type: 'route-table', id: 'rtb-main', route: 'local' },
    { type: 'network-acl', id: 'acl-db', direction: 'inbound', rule: 110 },
    { type: 'security-group', id: 'sg-db', permissionIndex: 0 },
  ],
  accountId: ACCOUNT,
  region: REGION,
  steps: 2,
};

/** internet → load balancer → web instance → database: the LB's node hop is the LB, not a step. */
export const throughLb: LateralPath = {
  from: 'internet',
  source: '0.0.0.0/0',
  target: db,
  protocol: 'tcp',
  ports: [[5432, 5432]],
  hops: [
    { type: 'internet-gateway', id: 'igw-1' },
    { type: 'route-table', id: 'rtb-main', route: '0.0.0.0/0' },
    { type: 'security-group', id: 'sg-alb', permissionIndex: 0 },
    { type: 'network-interface', id: 'eni-alb-a' },
    { type: 'load-balancer', id: LB_ARN, listener: 443, protocol: 'HTTPS' },
    { type: 'target-group', id: LB_ARN.replace(':loadbalancer/app/public-alb', ':targetgroup/web'), port: 8080 },
    { type: 'security-group', id: 'sg-web', permissionIndex: 0 },
    { type: 'network-interface', id: 'eni-web' },
    { type: 'security-group', id: 'sg-web', permissionIndex: 0, direction: 'egress' },
    { type: 'route-table', id: 'rtb-web', route: 'local' },
    { type: 'security-group', id: 'sg-db', permissionIndex: 1 },
  ],
  accountId: ACCOUNT,
  region: REGION,
  steps: 2,
};

export const lateral = (o: Partial<LateralListing> = {}): LateralListing => ({
  paths: [webToDb, viaPcx, viaTgw],
  undecided: [],
  query: { from: 'app', to: 'data', maxHops: 2, fromInterfaces: 3, toInterfaces: 2 },
  ...o,
});
