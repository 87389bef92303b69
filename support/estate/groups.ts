/**
 * The generator's first draws: each scope's managed prefix lists, then its group shells (id, name,
 * description, tags, role), all made before any permission so permissions can reference any group.
 */
import type { PrefixList } from '../../src/snapshot/schema.js';
import type { Ids, Role, SgShell, Vpc } from './model.js';
import { TEAMS } from './model.js';
import type { Prng } from './prng.js';

/** Share of each role among the non-default groups. */
export const ROLE_WEIGHTS: ReadonlyArray<readonly [Role, number]> = [
  ['lb', 6],
  ['web', 14],
  ['app', 20],
  ['data', 12],
  ['bastion', 3],
  ['misc', 45],
];
const ENVS = ['prod', 'staging', 'dev', 'test'] as const;

export function makePrefixLists(rng: Prng, ids: Ids, accountId: string, region: string): PrefixList[] {
  const pub4 = () =>
    `${rng.pick([52, 54, 63, 98, 104, 151, 185, 203])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.pick([0, 64, 128])}/${rng.pick([24, 26, 28, 29])}`;
  return [
    {
      id: ids.next('pl'),
      name: 'corp-offices',
      addressFamily: 'IPv4',
      ownerId: accountId,
      entries: Array.from({ length: rng.int(2, 6) }, () => ({ cidr: pub4(), description: 'office egress' })),
    },
    {
      id: ids.next('pl'),
      name: 'vpn-users',
      addressFamily: 'IPv4',
      ownerId: accountId,
      entries: [{ cidr: '10.200.0.0/16' }, { cidr: '100.64.0.0/10', description: 'client VPN' }],
    },
    {
      id: ids.next('pl'),
      name: 'partner-v6',
      addressFamily: 'IPv6',
      ownerId: accountId,
      entries: [{ cidr: `2a05:d0${rng.hex(2)}:${rng.hex(4)}::/48` }, { cidr: 'fd00:ab::/32' }],
    },
    {
      id: ids.next('pl', 8),
      name: `com.amazonaws.${region}.s3`,
      addressFamily: 'IPv4',
      ownerId: 'AWS',
      entries: [
        { cidr: `52.${rng.int(0, 255)}.0.0/15` },
        { cidr: `3.${rng.int(0, 255)}.0.0/16` },
        { cidr: `54.231.0.0/16` },
      ],
    },
    // Entries not readable: rules must treat this list as unknown.
    { id: ids.next('pl', 8), name: `com.amazonaws.${region}.dynamodb`, addressFamily: 'IPv4', ownerId: 'AWS' },
  ];
}

export function makeShell(rng: Prng, ids: Ids, accountId: string, vpc: Vpc, role: Role): SgShell {
  const env = rng.pick(ENVS);
  const team = rng.pick(TEAMS);
  const groupId = ids.next('sg');
  const tags: Record<string, string> = {};
  let groupName: string;
  let description: string;
  if (role === 'default') {
    groupName = 'default';
    description = 'default VPC security group';
  } else if (role === 'misc' && rng.chance(0.08)) {
    groupName = `launch-wizard-${rng.int(1, 400)}`;
    description = `launch-wizard-${groupName.slice(14)} created ${createdDate(rng)}`;
  } else {
    groupName = `${team}-${role}-${env}-${groupId.slice(-6)}`;
    description = `${role} tier for ${team} (${env})`;
    tags.Name = groupName;
    tags.Environment = env;
    if (rng.chance(0.7)) tags.Team = team;
    if (rng.chance(0.3)) tags.CostCenter = `cc-${rng.int(1000, 9999)}`;
  }
  // Tier tags (the default settings: Tier=lb/web/app/data) on a share of the tier groups, and a few
  // mis-tagged ones.
  if ((role === 'lb' || role === 'web' || role === 'app' || role === 'data') && rng.chance(0.65)) tags.Tier = role;
  else if (role === 'misc' && rng.chance(0.02)) tags.Tier = rng.pick(['web', 'app']);
  const dbPort =
    role === 'data'
      ? rng.weighted([
          [3306, 5],
          [5432, 5],
          [1433, 1],
          [1521, 1],
          [6379, 2],
          [27017, 1],
        ] as const)
      : 0;
  return {
    sg: { groupId, groupName, description, vpcId: vpc.id, ownerId: accountId, tags, ingress: [], egress: [] },
    role,
    vpc,
    dbPort,
  };
}

function createdDate(rng: Prng): string {
  return `20${rng.int(18, 25)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}
