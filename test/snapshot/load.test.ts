/**
 * Reading inputs (snapshot or raw aws-cli JSON) and merging several inputs: nothing may be dropped silently.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInputFile, mergeSnapshots, parseInput, serializeSnapshot } from '../../src/snapshot/load.js';
import {
  NETWORK_KINDS,
  RESOURCE_KINDS,
  SnapshotSchema,
  type RegionSnapshot,
  type Snapshot,
} from '../../src/snapshot/schema.js';
import { formatSize } from '../../src/util/fs.js';
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  all,
  cluster,
  eni,
  instance,
  lb,
  region,
  sg,
  snapshot,
  tcp,
} from '../helpers/estate.js';
import { DEMO_ESTATE as DEMO, RAW_DESCRIBE as RAW, tempDir, usageMessage } from '../helpers/files.js';

describe('parseInput: raw aws ec2 describe-security-groups', () => {
  const raw = {
    SecurityGroups: [
      {
        GroupId: 'sg-a',
        GroupName: 'a',
        OwnerId: ACCOUNT,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      },
      {
        GroupId: 'sg-b',
        GroupName: 'b',
        OwnerId: OTHER_ACCOUNT,
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      },
      { GroupId: 'sg-c', GroupName: 'c', OwnerId: ACCOUNT },
    ],
  };

  it('groups by OwnerId, region unknown unless given, only securityGroups collected', () => {
    const s = parseInput(raw, 'raw.json');
    expect(s.regions.map((r) => [r.accountId, r.region, r.collected, r.securityGroups.map((g) => g.groupId)])).toEqual([
      [ACCOUNT, 'unknown', ['securityGroups'], ['sg-a', 'sg-c']],
      [OTHER_ACCOUNT, 'unknown', ['securityGroups'], ['sg-b']],
    ]);
    expect(s.regions[0].securityGroups[0].ingress).toHaveLength(1);
    expect(s.regions[0].securityGroups[0].egress).toEqual([]);
    expect(s.regions[1].securityGroups[0].ingress).toEqual([]);
    expect(s.regions[1].securityGroups[0].egress).toHaveLength(1);
    expect(SnapshotSchema.parse(s)).toEqual(s);
  });

  it('--account and --region override', () => {
    const s = parseInput(raw, 'raw.json', { accountId: '999999999999', region: 'eu-west-1' });
    expect(s.regions.map((r) => [r.accountId, r.region, r.securityGroups.length])).toEqual([
      ['999999999999', 'eu-west-1', 3],
    ]);
    // The group keeps its real owner.
    expect(s.regions[0].securityGroups[1].ownerId).toBe(OTHER_ACCOUNT);
  });

  it('an empty listing is one collected, empty scope (not "nothing collected")', () => {
    const s = parseInput({ SecurityGroups: [] }, 'raw.json', { accountId: ACCOUNT, region: 'us-east-1' });
    expect(s.regions.map((r) => [r.accountId, r.region, r.collected, r.securityGroups])).toEqual([
      [ACCOUNT, 'us-east-1', ['securityGroups'], []],
    ]);
  });

  it('a malformed raw file names the field', () => {
    expect(usageMessage(() => parseInput({ SecurityGroups: [{ GroupName: 'x' }] }, 'raw.json'))).toBe(
      'raw.json: SecurityGroups[0].GroupId: expected string, got nothing',
    );
  });

  it('reads the bundled raw fixture', () => {
    const s = loadInputFile(RAW, { region: 'eu-west-1' });
    expect(s.regions.map((r) => [r.accountId, r.region])).toEqual([['111122223333', 'eu-west-1']]);
    const groups = s.regions[0].securityGroups;
    expect(groups.length).toBeGreaterThan(3);
    expect(groups.find((g) => g.groupName === 'shop-eu-web')).toMatchObject({
      tags: { Tier: 'web' },
      ingress: [{ protocol: 'tcp', fromPort: 443, groups: [{ groupId: expect.stringMatching(/^sg-/) }] }],
    });
  });
});

describe('parseInput: snapshots', () => {
  it('accepts a valid snapshot and fills defaults', () => {
    const s = parseInput(
      {
        schemaVersion: 1,
        tool: 'sg-audit',
        createdAt: '2026-01-01T00:00:00Z',
        regions: [
          {
            accountId: ACCOUNT,
            region: 'us-east-1',
            collected: ['securityGroups'],
            securityGroups: [{ groupId: 'sg-1', groupName: 'x' }],
          },
        ],
      },
      'snap.json',
    );
    expect(s.errors).toEqual([]);
    expect(s.regions[0].securityGroups[0]).toEqual({
      groupId: 'sg-1',
      groupName: 'x',
      tags: {},
      ingress: [],
      egress: [],
    });
    expect(s.regions[0].dbClusters).toEqual([]);
  });

  it('rejects another schema version, with the version in the message', () => {
    expect(usageMessage(() => parseInput({ schemaVersion: 3, tool: 'sg-audit', regions: [] }, 'snap.json'))).toBe(
      'snap.json: schemaVersion: unsupported snapshot version 3 (this sg-audit reads versions 1 and 2)',
    );
  });

  // Issue #12: version 2 adds the network data; a version-1 file is upgraded in place, its network kinds not collected.
  const v1 = () => ({
    schemaVersion: 1,
    tool: 'sg-audit',
    createdAt: '2026-01-01T00:00:00Z',
    regions: [
      {
        accountId: ACCOUNT,
        region: 'us-east-1',
        collected: ['securityGroups', 'networkInterfaces'],
        securityGroups: [{ groupId: 'sg-1', groupName: 'x' }],
        networkInterfaces: [{ id: 'eni-1', groups: ['sg-1'] }],
      },
    ],
  });

  it('reads a version-1 snapshot as version 2: network kinds empty and not collected, ENI addresses unknown', () => {
    for (const validateInPlace of [false, true]) {
      const s = parseInput(v1(), 'snap.json', {}, { validateInPlace });
      expect(s.schemaVersion).toBe(2);
      expect(s.regions[0].collected).toEqual(['securityGroups', 'networkInterfaces']);
      expect(s.regions[0].networkInterfaces).toEqual([{ id: 'eni-1', groups: ['sg-1'], tags: {} }]);
      for (const kind of NETWORK_KINDS) expect(s.regions[0][kind]).toEqual([]);
    }
  });

  it('rejects a version-1 snapshot that claims a version-2 kind', () => {
    const raw = v1();
    raw.regions[0].collected.push('subnets');
    expect(usageMessage(() => parseInput(raw, 'snap.json'))).toBe(
      'snap.json: regions.0.collected.2: "subnets" is not a resource kind of snapshot version 1 (schemaVersion 2 holds it)',
    );
  });

  it('reads the version-2 network kinds and the ENI addresses', () => {
    const s = parseInput(
      {
        schemaVersion: 2,
        tool: 'sg-audit',
        createdAt: '2026-01-01T00:00:00Z',
        regions: [
          {
            accountId: ACCOUNT,
            region: 'us-east-1',
            collected: ['networkInterfaces', 'subnets', 'routeTables'],
            networkInterfaces: [
              {
                id: 'eni-1',
                subnetId: 'subnet-1',
                publicIp: '203.0.113.1',
                privateIpAddresses: [{ address: '10.0.0.1', primary: true, publicIp: '203.0.113.1' }],
                ipv6Addresses: [],
              },
            ],
            subnets: [{ id: 'subnet-1', vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24' }],
            routeTables: [
              { id: 'rtb-1', vpcId: 'vpc-1', main: true, routes: [{ gatewayId: 'local', state: 'active' }] },
            ],
          },
        ],
      },
      'snap.json',
    );
    const [r] = s.regions;
    expect(r.networkInterfaces[0]).toEqual({
      id: 'eni-1',
      groups: [],
      subnetId: 'subnet-1',
      publicIp: '203.0.113.1',
      privateIpAddresses: [{ address: '10.0.0.1', primary: true, publicIp: '203.0.113.1' }],
      ipv6Addresses: [],
      tags: {},
    });
    expect(r.subnets).toEqual([
      { id: 'subnet-1', vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24', ipv6CidrBlocks: [], tags: {} },
    ]);
    expect(r.routeTables).toEqual([
      {
        id: 'rtb-1',
        vpcId: 'vpc-1',
        main: true,
        subnetIds: [],
        routes: [{ gatewayId: 'local', state: 'active' }],
        tags: {},
      },
    ]);
    expect([r.vpcs, r.internetGateways, r.egressOnlyInternetGateways, r.networkAcls]).toEqual([[], [], [], []]);
  });

  // Issue #13: the peering connections are an additive kind of version 2 (no version bump).
  it('reads VPC peering connections with their defaults; a version-2 file without them has them not collected', () => {
    const base = {
      schemaVersion: 2,
      tool: 'sg-audit',
      createdAt: '2026-01-01T00:00:00Z',
      regions: [{ accountId: ACCOUNT, region: 'us-east-1', collected: ['securityGroups', 'vpcs'] }],
    };
    // Written before the kind existed: empty and not collected, so lateral paths over a peering are unknown.
    const [old] = parseInput(structuredClone(base), 'old.json').regions;
    expect(old.vpcPeeringConnections).toEqual([]);
    expect(old.collected).toEqual(['securityGroups', 'vpcs']);

    const withPeering = structuredClone(base) as any;
    withPeering.regions[0].collected.push('vpcPeeringConnections');
    withPeering.regions[0].vpcPeeringConnections = [
      { id: 'pcx-1', status: 'active', requester: { vpcId: 'vpc-1', cidrs: ['10.0.0.0/16'] }, accepter: {} },
    ];
    const [r] = parseInput(withPeering, 'snap.json').regions;
    expect(r.collected).toEqual(['securityGroups', 'vpcs', 'vpcPeeringConnections']);
    expect(r.vpcPeeringConnections).toEqual([
      {
        id: 'pcx-1',
        status: 'active',
        requester: { vpcId: 'vpc-1', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [] },
        accepter: { cidrs: [], ipv6Cidrs: [] },
        tags: {},
      },
    ]);

    const noStatus = structuredClone(withPeering);
    delete noStatus.regions[0].vpcPeeringConnections[0].status;
    expect(usageMessage(() => parseInput(noStatus, 'snap.json'))).toBe(
      'snap.json: regions[0].vpcPeeringConnections[0].status: expected string, got nothing',
    );
    // A version-1 file cannot list the kind as collected.
    const v1 = { ...structuredClone(base), schemaVersion: 1 } as any;
    v1.regions[0].collected = ['securityGroups', 'vpcPeeringConnections'];
    expect(usageMessage(() => parseInput(v1, 'snap.json'))).toBe(
      'snap.json: regions.0.collected.1: "vpcPeeringConnections" is not a resource kind of snapshot version 1 ' +
        '(schemaVersion 2 holds it)',
    );
  });

  it('names the first bad field', () => {
    const s = JSON.parse(
      serializeSnapshot(snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(22, '10.0.0.0/8')] })] }))),
    );
    s.regions[0].securityGroups[0].ingress[0].ipv4[0].cidr = 7;
    expect(usageMessage(() => parseInput(s, 'snap.json'))).toBe(
      'snap.json: regions[0].securityGroups[0].ingress[0].ipv4[0].cidr: expected string, got number',
    );
  });

  it('neither a snapshot nor aws-cli output', () => {
    expect(usageMessage(() => parseInput({ hello: 1 }, 'x.json'))).toBe(
      "x.json: not an sg-audit snapshot (no schemaVersion) nor 'aws ec2 describe-security-groups' output (no SecurityGroups)",
    );
  });

  it('unreadable file and invalid JSON are one-line usage errors', () => {
    const dir = tempDir('load', { 'bad.json': '{"schemaVersion": 1,' });
    const bad = path.join(dir, 'bad.json');
    expect(usageMessage(() => loadInputFile(bad))).toMatch(/bad\.json: invalid JSON: /);
    expect(usageMessage(() => loadInputFile(path.join(dir, 'missing.json')))).toMatch(
      /missing\.json: cannot read input \(ENOENT\)$/,
    );
  });

  it('serializeSnapshot round-trips', () => {
    const s = snapshot(
      region({
        groups: [sg('sg-1', { tier: 'data', ingress: [tcp(3306, 'sg-2')] })],
        clusters: [cluster('c', ['sg-1'])],
      }),
    );
    expect(parseInput(JSON.parse(serializeSnapshot(s)), 'x.json')).toEqual(s);
  });

  it('serializeSnapshot writes compact JSON: one line and a final newline', () => {
    const text = serializeSnapshot(snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(22, '10.0.0.0/8')] })] })));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.slice(0, -1)).not.toMatch(/\n/);
  });
});

describe('the bundled demo estate', () => {
  const demo = loadInputFile(DEMO);

  it('is a schema-version-2 file with two accounts and two regions, every kind collected', () => {
    expect((JSON.parse(readFileSync(DEMO, 'utf8')) as { schemaVersion: number }).schemaVersion).toBe(2);
    expect(demo.schemaVersion).toBe(2);
    expect([...new Set(demo.regions.map((r) => r.accountId))].sort()).toEqual(['111122223333', '444455556666']);
    expect([...new Set(demo.regions.map((r) => r.region))].sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const r of demo.regions) expect(r.collected).toEqual([...RESOURCE_KINDS]);
  });

  it('its version-1 copy (fixtures/snapshots/demo-v1.json) is read as version 2 without the network kinds', () => {
    const v1 = loadInputFile(path.join(path.dirname(DEMO), '../snapshots/demo-v1.json'));
    expect(v1.schemaVersion).toBe(2);
    expect(v1.regions.every((r) => r.collected.length === RESOURCE_KINDS.length - NETWORK_KINDS.length)).toBe(true);
    expect(v1.regions.every((r) => r.collected.every((k) => !(NETWORK_KINDS as readonly string[]).includes(k)))).toBe(
      true,
    );
  });

  it('stays small and internally consistent: unique ids, every attached group exists', () => {
    const groups = demo.regions.flatMap((r) => r.securityGroups);
    expect(groups.length).toBeLessThan(60);
    const ids = new Set(groups.map((g) => g.groupId));
    expect(ids.size).toBe(groups.length);
    for (const r of demo.regions) {
      const attached = [
        ...r.networkInterfaces.flatMap((e) => e.groups),
        ...r.loadBalancers.flatMap((l) => l.securityGroups),
        ...r.dbClusters.flatMap((c) => c.securityGroups),
        ...r.dbInstances.flatMap((i) => i.securityGroups),
      ];
      for (const id of attached) expect(ids.has(id), `${r.accountId}/${r.region} attaches ${id}`).toBe(true);
      for (const g of r.securityGroups) expect(g.ownerId).toBe(r.accountId);
    }
  });

  it('has a cross-account reference in each direction and a prefix list with entries', () => {
    const pairs = demo.regions.flatMap((r) =>
      r.securityGroups.flatMap((g) =>
        [...g.ingress, ...g.egress].flatMap((p) => p.groups.map((x) => [g.ownerId, x.userId])),
      ),
    );
    expect(pairs).toContainEqual(['111122223333', '444455556666']);
    expect(pairs).toContainEqual(['444455556666', '111122223333']);
    expect(demo.regions.flatMap((r) => r.prefixLists).some((pl) => (pl.entries?.length ?? 0) > 0)).toBe(true);
  });
});

describe('mergeSnapshots', () => {
  const a: Snapshot = {
    ...snapshot(
      region({
        groups: [sg('sg-1'), sg('sg-2', { ingress: [all('sg-1')] })],
        enis: [eni('eni-1', ['sg-1'])],
        lbs: [lb('alb', ['sg-1'])],
        clusters: [cluster('c1', ['sg-2'])],
        prefixLists: [{ id: 'pl-1' }],
        collected: ['securityGroups', 'networkInterfaces'],
        errors: [{ api: 'rds:DescribeDBInstances', code: 'Throttling', message: 'slow down' }],
      }),
    ),
    createdAt: '2026-01-01T00:00:00.000Z',
    errors: [{ accountId: '333333333333', api: 'sts:AssumeRole', code: 'AccessDenied', message: 'no' }],
  };
  const b: Snapshot = {
    ...snapshot(
      region({
        groups: [sg('sg-2', { name: 'duplicate' }), sg('sg-3')],
        enis: [eni('eni-1', ['sg-3']), eni('eni-2', ['sg-3'])],
        instances: [instance('i1', ['sg-3'])],
        prefixLists: [{ id: 'pl-1', entries: [{ cidr: '10.0.0.0/8' }] }, { id: 'pl-2' }],
        collected: ['securityGroups', 'dbInstances'],
      }),
      region({ accountId: OTHER_ACCOUNT, groups: [sg('sg-9')] }),
    ),
    createdAt: '2026-02-01T00:00:00.000Z',
  };

  it('one input is returned as is', () => {
    expect(mergeSnapshots([a])).toBe(a);
  });

  it('combines the same account/region: resources de-duplicated by id (first wins), kinds and errors united', () => {
    const m = mergeSnapshots([a, b]);
    expect(m.createdAt).toBe('2026-02-01T00:00:00.000Z');
    expect(m.regions.map((r) => `${r.accountId}/${r.region}`)).toEqual([
      `${ACCOUNT}/us-east-1`,
      `${OTHER_ACCOUNT}/us-east-1`,
    ]);
    const [r] = m.regions;
    expect(r.securityGroups.map((g) => [g.groupId, g.groupName])).toEqual([
      ['sg-1', '1'],
      ['sg-2', '2'],
      ['sg-3', '3'],
    ]);
    // The first copy keeps its rules: ingress is not lost to the duplicate.
    expect(r.securityGroups[1].ingress).toHaveLength(1);
    expect(r.networkInterfaces.map((e) => [e.id, e.groups])).toEqual([
      ['eni-1', ['sg-1']],
      ['eni-2', ['sg-3']],
    ]);
    expect(r.loadBalancers.map((x) => x.name)).toEqual(['alb']);
    expect(r.dbClusters.map((x) => x.id)).toEqual(['c1']);
    expect(r.dbInstances.map((x) => x.id)).toEqual(['i1']);
    // pl-1 was unresolved in the first input and resolved in the second: the entries are kept.
    expect(r.prefixLists).toEqual([{ id: 'pl-1', entries: [{ cidr: '10.0.0.0/8' }] }, { id: 'pl-2' }]);
    expect(r.collected.sort()).toEqual(['dbInstances', 'networkInterfaces', 'securityGroups']);
    expect(r.errors).toEqual([{ api: 'rds:DescribeDBInstances', code: 'Throttling', message: 'slow down' }]);
    expect(m.errors).toEqual(a.errors);
    expect(m.regions[1].securityGroups.map((g) => g.groupId)).toEqual(['sg-9']);
    expect(SnapshotSchema.parse(m)).toEqual(m);
  });

  it('merges the network kinds (issue #12) by id, first wins, collected united', () => {
    const net = (tag: string, collected: RegionSnapshot['collected'], ids: string[]): Snapshot => {
      const r = region({ collected });
      r.vpcs = ids.map((id) => ({ id: `vpc-${id}`, cidrBlocks: [], ipv6CidrBlocks: [], tags: { t: tag } }));
      r.subnets = ids.map((id) => ({ id: `subnet-${id}`, vpcId: `vpc-${id}`, ipv6CidrBlocks: [], tags: { t: tag } }));
      r.routeTables = ids.map((id) => ({
        id: `rtb-${id}`,
        vpcId: 'v',
        main: true,
        subnetIds: [],
        routes: [],
        tags: {},
      }));
      r.internetGateways = ids.map((id) => ({ id: `igw-${id}`, attachments: [], tags: { t: tag } }));
      r.egressOnlyInternetGateways = ids.map((id) => ({ id: `eigw-${id}`, attachments: [], tags: { t: tag } }));
      r.networkAcls = ids.map((id) => ({
        id: `acl-${id}`,
        vpcId: 'v',
        isDefault: false,
        subnetIds: [],
        entries: [],
        tags: {},
      }));
      r.vpcPeeringConnections = ids.map((id) => ({
        id: `pcx-${id}`,
        status: 'active',
        requester: { vpcId: `vpc-${id}`, cidrs: [], ipv6Cidrs: [] },
        accepter: { cidrs: [], ipv6Cidrs: [] },
        tags: { t: tag },
      }));
      return snapshot(r);
    };
    const m = mergeSnapshots([
      net('a', ['vpcs', 'subnets'], ['1', '2']),
      net('b', ['routeTables', 'subnets'], ['2', '3']),
    ]);
    const [r] = m.regions;
    expect(r.collected).toEqual(['vpcs', 'subnets', 'routeTables']);
    for (const [kind, prefix] of [
      ['vpcs', 'vpc'],
      ['subnets', 'subnet'],
      ['routeTables', 'rtb'],
      ['internetGateways', 'igw'],
      ['egressOnlyInternetGateways', 'eigw'],
      ['networkAcls', 'acl'],
      ['vpcPeeringConnections', 'pcx'],
    ] as const) {
      expect(r[kind].map((x) => x.id)).toEqual([`${prefix}-1`, `${prefix}-2`, `${prefix}-3`]);
    }
    expect(r.subnets.map((x) => x.tags.t)).toEqual(['a', 'a', 'b']);
    // A connection both sides' regions list (the same pcx id) is one record: the first input's.
    expect(r.vpcPeeringConnections.map((x) => x.tags.t)).toEqual(['a', 'a', 'b']);
    expect(SnapshotSchema.parse(m)).toEqual(m);
  });

  it('does not mutate its inputs', () => {
    const before = JSON.stringify([a, b]);
    mergeSnapshots([a, b]);
    expect(JSON.stringify([a, b])).toBe(before);
  });

  it('every group, rule and resource of the inputs survives the merge', () => {
    const count = (s: Snapshot) =>
      s.regions.reduce(
        (n, r) =>
          n +
          r.securityGroups.reduce((k, g) => k + g.ingress.length + g.egress.length, 0) +
          r.networkInterfaces.length +
          r.dbInstances.length,
        0,
      );
    const x = snapshot(
      region({ groups: [sg('sg-x', { ingress: [tcp(1, '10.0.0.0/8')], egress: [tcp(2, '10.0.0.0/8')] })] }),
    );
    const y = snapshot(
      region({
        region: 'eu-west-1',
        groups: [sg('sg-y', { ingress: [tcp(3, '10.0.0.0/8')] })],
        enis: [eni('eni-y', ['sg-y'])],
      }),
    );
    expect(count(mergeSnapshots([x, y]))).toBe(count(x) + count(y));
  });
});

describe('loadInputFile: size cap and encodings (issue #10, items 5 and 6)', () => {
  const demoText = () => readFileSync(DEMO, 'utf8');

  it('an input over the limit names file, size, limit and the way out (maxBytes lowers the limit, for tests)', () => {
    const dir = tempDir('load-cap');
    const f = path.join(dir, 'big.json');
    writeFileSync(f, demoText());
    const size = statSync(f).size;
    expect(usageMessage(() => loadInputFile(f, {}, { maxBytes: 1000 }))).toBe(
      `${f}: ${formatSize(size)} is over the 1 kB input limit; collect per account or region and pass several --input`,
    );
    expect(loadInputFile(f, {}, { maxBytes: size }).regions.length).toBeGreaterThan(0);
  });

  it('/dev/zero is read up to the limit, not without end', () => {
    expect(usageMessage(() => loadInputFile('/dev/zero', {}, { maxBytes: 2_000_000 }))).toBe(
      '/dev/zero: more than 2 MB is over the 2 MB input limit; collect per account or region and pass several --input',
    );
  });

  it('JSON with a UTF-8 BOM, and UTF-16 LE with BOM (PowerShell `aws ... > sgs.json`), read as the UTF-8 file', () => {
    const dir = tempDir('load-enc');
    const want = loadInputFile(RAW, { region: 'eu-west-1' });
    const raw = readFileSync(RAW, 'utf8');
    const bom = path.join(dir, 'bom.json');
    const u16 = path.join(dir, 'u16.json');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(raw)]));
    writeFileSync(u16, Buffer.from('\ufeff' + raw.replace(/\n/g, '\r\n'), 'utf16le'));
    const strip = (s: Snapshot) => ({ ...s, createdAt: '' });
    expect(strip(loadInputFile(bom, { region: 'eu-west-1' }))).toEqual(strip(want));
    expect(strip(loadInputFile(u16, { region: 'eu-west-1' }))).toEqual(strip(want));
  });

  it('a file in another encoding is rejected by name, without garbage in the message', () => {
    const dir = tempDir('load-enc-bad');
    const f = path.join(dir, 'latin1.json');
    writeFileSync(f, Buffer.from('{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "caf\xe9"}]}', 'latin1'));
    expect(usageMessage(() => loadInputFile(f))).toBe(
      `${f}: not UTF-8 text (invalid byte 0xe9 on line 1); save it as UTF-8`,
    );
  });

  it('invalid JSON is one line, with line and column', () => {
    const dir = tempDir('load-json');
    const f = path.join(dir, 'bad.json');
    writeFileSync(f, '{\n  "schemaVersion": 1,\n}\n');
    expect(usageMessage(() => loadInputFile(f))).toBe(
      `${f}: invalid JSON: Expected double-quoted property name at line 3, column 1`,
    );
  });
});
