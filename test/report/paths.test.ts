/**
 * `sg-audit paths` renderers over hand-built listings (the model's output shape, src/exposure/types.ts): the table
 * (one row per path, the hop chain under it, wrapped at 100 columns), the JSON contract, the Markdown table and its
 * Mermaid flowchart, and how undecided interfaces are always counted and explained.
 */
import { describe, expect, it } from 'vitest';
import type { ExposurePath, LateralPath, PathTarget } from '../../src/exposure/types.js';
import {
  attachedText,
  hopChain,
  lateralChain,
  pathsJsonChunks,
  portsText,
  renderPaths,
  renderPathsChunks,
  type LateralListing,
  type PathsListing,
} from '../../src/report/paths.js';
import { lateral, throughLb, twoSteps, viaPcx, viaTgw, webToDb } from './paths-lateral-fixture.js';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const LB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/public-alb/0123456789abcdef`;
const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/app-tg/fedcba9876543210`;

const direct: ExposurePath = {
  from: 'internet',
  source: '0.0.0.0/0',
  target: { type: 'network-interface', id: 'eni-bastion', attachedTo: { type: 'instance', id: 'i-bastion' } },
  protocol: 'tcp',
  ports: [[22, 22]],
  hops: [
    { type: 'internet-gateway', id: 'igw-1' },
    { type: 'route-table', id: 'rtb-main', route: '0.0.0.0/0' },
    { type: 'network-acl', id: 'acl-pub', direction: 'inbound', rule: 100 },
    { type: 'network-acl', id: 'acl-pub', direction: 'outbound', rule: 32767 },
    { type: 'security-group', id: 'sg-bastion', permissionIndex: 0 },
  ],
  accountId: ACCOUNT,
  region: REGION,
};

const viaLb: ExposurePath = {
  from: 'internet',
  source: '0.0.0.0/0',
  target: { type: 'network-interface', id: 'eni-app', attachedTo: { type: 'instance', id: 'i-app' } },
  protocol: 'tcp',
  ports: [[8080, 8080]],
  hops: [
    { type: 'internet-gateway', id: 'igw-1' },
    { type: 'route-table', id: 'rtb-main', route: '0.0.0.0/0' },
    { type: 'network-acl', id: 'acl-pub', direction: 'inbound', rule: 100 },
    { type: 'network-acl', id: 'acl-pub', direction: 'outbound', rule: 100 },
    { type: 'security-group', id: 'sg-alb', permissionIndex: 0 },
    { type: 'load-balancer', id: LB_ARN, listener: 443, protocol: 'HTTPS' },
    { type: 'network-interface', id: 'eni-alb-a' },
    { type: 'target-group', id: TG_ARN, port: 8080 },
    { type: 'security-group', id: 'sg-app', permissionIndex: 1 },
  ],
  accountId: ACCOUNT,
  region: REGION,
  via: { loadBalancer: LB_ARN, listener: 443 },
};

const listing = (o: Partial<PathsListing> = {}): PathsListing => ({
  paths: [direct, viaLb],
  unknown: [],
  interfaces: { reachable: 2, unreachable: 3, unknown: 0 },
  query: { from: 'internet' },
  ...o,
});

const undecided: PathsListing['unknown'] = [
  {
    accountId: ACCOUNT,
    region: REGION,
    target: { type: 'network-interface', id: 'eni-x' },
    reason: 'network ACLs not collected',
  },
  {
    accountId: ACCOUNT,
    region: REGION,
    target: { type: 'network-interface', id: 'eni-y' },
    reason: 'network ACLs not collected',
  },
  { accountId: '222222222222', region: 'eu-west-1', reason: 'network interfaces not collected' },
];

describe('paths table', () => {
  it('one row per path, the hop chain under it, ACL directions joined, LB and TG by name', () => {
    expect(renderPaths(listing(), 'table')).toBe(
      [
        'sg-audit paths  from the internet: 2 paths to 2 network interfaces',
        '',
        '111111111111/us-east-1',
        '  TARGET       ATTACHED TO    PORTS     SOURCE     VIA',
        '  eni-bastion  ec2 i-bastion  tcp 22    0.0.0.0/0  direct',
        '      igw-1 → rtb-main 0.0.0.0/0 → acl-pub in#100 out#* → sg-bastion perm#0',
        '  eni-app      ec2 i-app      tcp 8080  0.0.0.0/0  lb public-alb:443',
        '      igw-1 → rtb-main 0.0.0.0/0 → acl-pub in#100 out#100 → sg-alb perm#0 → lb public-alb:443/https',
        '        → eni-alb-a → tg app-tg:8080 → sg-app perm#1',
        '',
        'Interfaces: 2 reachable, 3 not reachable, 0 undecided',
        '',
      ].join('\n'),
    );
  });

  it('a cell over its column cap overflows its own row only; short resource types', () => {
    const v6: ExposurePath = {
      ...direct,
      source: '2600:1f18:abcd:ef00::/56',
      target: { type: 'network-interface', id: 'eni-db', attachedTo: { type: 'db-instance', id: 'orders' } },
      protocol: 'all',
      ports: [[0, 65535]],
    };
    const out = renderPaths(listing({ paths: [direct, v6] }), 'table').split('\n');
    expect(out.slice(3, 7)).toEqual([
      '  TARGET       ATTACHED TO    PORTS        SOURCE     VIA',
      '  eni-bastion  ec2 i-bastion  tcp 22       0.0.0.0/0  direct',
      '      igw-1 → rtb-main 0.0.0.0/0 → acl-pub in#100 out#* → sg-bastion perm#0',
      '  eni-db       rds orders     all traffic  2600:1f18:abcd:ef00::/56  direct',
    ]);
  });

  it('every line fits 100 columns', () => {
    for (const line of renderPaths(listing(), 'table').split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('no colour unless asked; colour only adds ANSI codes', () => {
    const plain = renderPaths(listing(), 'table');
    expect(plain).not.toContain('\u001b[');
    const coloured = renderPaths(listing(), 'table', { color: true });
    expect(coloured).toContain('\u001b[');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('undecided interfaces are counted and explained, by reason; whole accounts/regions named', () => {
    const out = renderPaths(
      listing({ paths: [], unknown: undecided, interfaces: { reachable: 0, unreachable: 1, unknown: 2 } }),
      'table',
    );
    expect(out).toBe(
      [
        'sg-audit paths  from the internet: 0 paths to 0 network interfaces',
        '',
        'No path found among the 1 interface that could be decided.',
        'Interfaces: 0 reachable, 1 not reachable, 2 undecided',
        'Undecided: 2 network interfaces and every interface of 1 account/region.',
        'Reachability unknown (data not collected), not "not reachable":',
        '  network ACLs not collected (2): eni-x, eni-y',
        '  222222222222/eu-west-1: network interfaces not collected',
        '',
      ].join('\n'),
    );
  });

  it('long undecided lists wrap at 100 columns and stop at 40 ids', () => {
    const many = Array.from({ length: 45 }, (_, i) => ({
      accountId: ACCOUNT,
      region: REGION,
      target: { type: 'network-interface' as const, id: `eni-0a1b2c3d4e5f6${String(i).padStart(4, '0')}` },
      reason: 'subnet route tables not collected',
    }));
    const out = renderPaths(listing({ paths: [], unknown: many }), 'table');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(out).toContain('  subnet route tables not collected (45): eni-0a1b2c3d4e5f60000, ');
    expect(out).toContain('eni-0a1b2c3d4e5f60039, +5 more (--format json lists all)\n');
    expect(out).not.toContain('eni-0a1b2c3d4e5f60040');
  });

  it('reasons that name their own interface are one reason; a long reason puts the ids on the next lines', () => {
    const own = ['eni-0a1b2c3d4e5f61001', 'eni-0a1b2c3d4e5f61002'].map((id) => ({
      accountId: ACCOUNT,
      region: REGION,
      target: { type: 'network-interface' as const, id },
      reason: `the addresses of ${id} were not collected (version-1 snapshot data)`,
    }));
    const lb = {
      accountId: ACCOUNT,
      region: REGION,
      target: { type: 'network-interface' as const, id: 'eni-0a1b2c3d4e5f61011' },
      reason: `listeners, targetGroups not collected in ${ACCOUNT}/${REGION}: paths through shop-alb are unknown`,
    };
    const out = renderPaths(listing({ paths: [], unknown: [...own, lb] }), 'table').split('\n');
    expect(out.slice(-5)).toEqual([
      '  the addresses of each interface were not collected (version-1 snapshot data) (2):',
      '    eni-0a1b2c3d4e5f61001, eni-0a1b2c3d4e5f61002',
      '  listeners, targetGroups not collected in 111111111111/us-east-1: paths through shop-alb are unknown (1):',
      '    eni-0a1b2c3d4e5f61011',
      '',
    ]);
    // The JSON keeps each interface's own reason.
    expect((JSON.parse(renderPaths(listing({ unknown: own }), 'json')) as PathsListing).unknown).toEqual(own);
  });

  it('nothing reachable and everything decided says so', () => {
    const out = renderPaths(listing({ paths: [], interfaces: { reachable: 0, unreachable: 4, unknown: 0 } }), 'table');
    expect(out).toContain('No internet path: nothing selected is reachable from the internet.');
  });

  it('the query is named in the headline', () => {
    const out = renderPaths(listing({ paths: [viaLb], query: { from: 'internet', to: 'app', port: 8080 } }), 'table');
    expect(out.split('\n')[0]).toBe(
      'sg-audit paths  from the internet to app on port 8080: 1 path to 1 network interface',
    );
  });
});

describe('paths JSON', () => {
  it('is the listing: the issue contract under "paths", then unknown, interface counts and the query', () => {
    const l = listing({ unknown: undecided });
    const text = renderPaths(l, 'json');
    expect(JSON.parse(text)).toEqual(l);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['paths', 'unknown', 'interfaces', 'query']);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('"ports": [[22, 22]],');
  });

  it('several port spans on one line', () => {
    const text = renderPaths(
      listing({
        paths: [
          {
            ...direct,
            ports: [
              [22, 22],
              [80, 443],
            ],
          },
        ],
      }),
      'json',
    );
    expect(text).toContain('"ports": [[22, 22], [80, 443]],');
    expect((JSON.parse(text) as PathsListing).paths[0].ports).toEqual([
      [22, 22],
      [80, 443],
    ]);
  });

  it('hops and targets on one line each, strings with quotes, braces and commas kept intact', () => {
    const odd: ExposurePath = {
      ...direct,
      target: { type: 'network-interface', id: 'eni-"{x}", \\"y', attachedTo: { type: 'instance', id: 'i-1,\n2' } },
    };
    const l = listing({ paths: [odd, viaLb] });
    const text = renderPaths(l, 'json');
    expect(JSON.parse(text)).toEqual(l);
    expect(text).toContain('        {"type": "internet-gateway", "id": "igw-1"},\n');
    expect(text).toContain('"attachedTo": {"type": "instance", "id": "i-1,\\n2"}');
    expect(text).toContain('  "interfaces": {"reachable": 2, "unreachable": 3, "unknown": 0},\n');
  });
});

describe('paths Markdown', () => {
  it('a table row per path with the hop chain, and a Mermaid flowchart internet → igw → (lb → tg →) target', () => {
    const md = renderPaths(listing(), 'markdown');
    expect(md).toContain('| Target | Attached to | Protocol | Ports | Source | Via | Path |');
    expect(md).toContain(
      '| `eni-bastion` | instance i-bastion | tcp | 22 | `0.0.0.0/0` | direct | ' +
        'igw-1 → rtb-main 0.0.0.0/0 → acl-pub in#100 out#\\* → sg-bastion perm#0 |',
    );
    const diagram = md.slice(md.indexOf('```mermaid\n') + 11, md.indexOf('\n```', md.indexOf('```mermaid')));
    expect(diagram.split('\n').slice(1)).toEqual([
      'flowchart LR',
      '  internet(("Internet"))',
      '  igw1{{"igw-1"}}',
      '  t1["eni-bastion<br/>instance i-bastion"]',
      '  lb1[/"lb public-alb"/]',
      '  tg1(["tg app-tg"])',
      '  t2["eni-app<br/>instance i-app"]',
      '  internet --> igw1',
      '  igw1 -->|"tcp 22"| t1',
      '  igw1 -->|"tcp 443"| lb1',
      '  lb1 --> tg1',
      '  tg1 -->|"tcp 8080"| t2',
    ]);
  });

  it('nodes are shared between paths and edge labels merged', () => {
    const https = { ...direct, protocol: 'tcp', ports: [[443, 443]] as [number, number][] };
    const md = renderPaths(listing({ paths: [direct, https] }), 'markdown');
    expect(md.match(/igw1\{\{/g)).toHaveLength(1);
    expect(md).toContain('  igw1 -->|"tcp 22, tcp 443"| t1');
  });

  it('an edge from many ranges on the same ports names two and counts the rest (a prefix list of five)', () => {
    const ranges = [
      '111.13.171.128/26',
      '120.52.22.96/27',
      '180.163.57.128/26',
      '204.246.168.0/22',
      '205.251.249.0/24',
    ];
    const fromRange = (source: string): ExposurePath => ({ ...direct, source, ports: [[443, 443]] });
    const two = renderPaths(listing({ paths: ranges.slice(0, 2).map(fromRange) }), 'markdown');
    expect(two).toContain('  igw1 -->|"tcp 443 from 111.13.171.128/26, 120.52.22.96/27"| t1');
    const five = renderPaths(listing({ paths: [direct, ...ranges.map(fromRange)] }), 'markdown');
    expect(five).toContain('  igw1 -->|"tcp 22, tcp 443 from 111.13.171.128/26, 120.52.22.96/27 and 3 more"| t1');
  });

  it("a load balancer's own interfaces are its one node; a non-world source is named on the edge", () => {
    const node = (id: string, port: number): ExposurePath => ({
      ...direct,
      source: port === 80 ? '198.51.100.0/24' : '0.0.0.0/0',
      target: { type: 'network-interface', id, attachedTo: { type: 'load-balancer', id: 'public-alb', arn: LB_ARN } },
      ports: [[port, port]],
    });
    const nlbNode: ExposurePath = {
      ...node('eni-alb-b', 443),
      hops: [...direct.hops.slice(0, 2), { type: 'load-balancer', id: LB_ARN, listener: 443, protocol: 'TLS' }],
    };
    const md = renderPaths(
      listing({ paths: [node('eni-alb-a', 443), node('eni-alb-b', 80), nlbNode, viaLb] }),
      'markdown',
    );
    const diagram = md.slice(md.indexOf('flowchart LR'), md.indexOf('\n```', md.indexOf('```mermaid')));
    expect(diagram.split('\n')).toEqual([
      'flowchart LR',
      '  internet(("Internet"))',
      '  igw1{{"igw-1"}}',
      '  lb1[/"lb public-alb"/]',
      '  tg1(["tg app-tg"])',
      '  t1["eni-app<br/>instance i-app"]',
      '  internet --> igw1',
      '  igw1 -->|"tcp 443, tcp 80 from 198.51.100.0/24"| lb1',
      '  lb1 --> tg1',
      '  tg1 -->|"tcp 8080"| t1',
    ]);
  });

  it('labels are Mermaid-escaped, ids are generated (never the resource ids)', () => {
    const odd: ExposurePath = {
      ...direct,
      target: { type: 'network-interface', id: 'eni-"x"', attachedTo: { type: 'instance', id: 'i-<b>' } },
    };
    const md = renderPaths(listing({ paths: [odd] }), 'markdown');
    expect(md).toContain('  t1["eni-#34;x#34;<br/>instance i-#60;b#62;"]');
  });

  it('undecided interfaces have their own section; no paths is said, never silent', () => {
    const md = renderPaths(
      listing({ paths: [], unknown: undecided, interfaces: { reachable: 0, unreachable: 0, unknown: 2 } }),
      'markdown',
    );
    expect(md).toBe(
      [
        '## Internet paths',
        '',
        '**0 paths** from the internet to 0 network interfaces. Interfaces: 0 reachable, 0 not reachable, ' +
          '2 undecided.',
        '',
        '_No path listed: no interface could be decided (see "Undecided")._',
        '',
        '### Undecided',
        '',
        'Undecided: 2 network interfaces and every interface of 1 account/region. Reachability unknown (data not ' +
          'collected), not "not reachable":',
        '',
        '- network ACLs not collected (2): `eni-x`, `eni-y`',
        '- `222222222222/eu-west-1`: network interfaces not collected',
        '',
      ].join('\n'),
    );
  });

  it('the diagram draws at most maxDiagramPaths and says so', () => {
    const md = renderPaths(listing(), 'markdown', { maxDiagramPaths: 1 });
    expect(md).toContain('_The diagram draws the first 1 of 2 paths; the table lists all._');
    expect(md).not.toContain('lb1[');
  });
});

describe('words', () => {
  it('ports: single, ranges, every port, ICMP types', () => {
    expect(
      portsText({
        protocol: 'tcp',
        ports: [
          [22, 22],
          [8000, 8080],
        ],
      }),
    ).toBe('22, 8000-8080');
    expect(portsText({ protocol: 'tcp', ports: [[0, 65535]] })).toBe('all');
    expect(portsText({ protocol: 'all', ports: [[0, 65535]] })).toBe('all');
    expect(portsText({ protocol: 'icmp', ports: [[-1, -1]] })).toBe('all types');
    expect(portsText({ protocol: 'icmp', ports: [[8, 8]] })).toBe('type 8');
    expect(portsText({ protocol: '50', ports: [] })).toBe('-');
  });

  it('hop chain: prefix-list routes name the list', () => {
    expect(hopChain([{ type: 'route-table', id: 'rtb-1', route: '198.51.100.0/24', prefixListId: 'pl-1' }])).toEqual([
      'rtb-1 pl-1 198.51.100.0/24',
    ]);
  });
});

describe('an RDS interface several databases could own (attachedTo.alternatives)', () => {
  const shared: ExposurePath = {
    ...direct,
    target: {
      type: 'network-interface',
      id: 'eni-db',
      attachedTo: { type: 'db-instance', id: 'orders', alternatives: [{ type: 'db-instance', id: 'orders-b' }] },
    },
    ports: [[5432, 5432]],
  };

  it('names the others after the first: "orders (or orders-b)", another type with its type', () => {
    expect(attachedText(shared.target)).toBe('db-instance orders (or orders-b)');
    const mixed = {
      type: 'network-interface' as const,
      id: 'eni-db',
      attachedTo: {
        type: 'db-instance' as const,
        id: 'orders',
        alternatives: [
          { type: 'db-instance' as const, id: 'orders-b' },
          { type: 'db-cluster' as const, id: 'ledger' },
        ],
      },
    };
    expect(attachedText(mixed)).toBe('db-instance orders (or orders-b, db-cluster ledger)');
  });

  it('the table, the Markdown table and the diagram show every owner', () => {
    const l = listing({ paths: [shared] });
    expect(renderPaths(l, 'table')).toContain('  eni-db  rds orders (or orders-b)  tcp 5432  0.0.0.0/0  direct\n');
    const md = renderPaths(l, 'markdown');
    expect(md).toContain('| `eni-db` | db-instance orders (or orders-b) | tcp | 5432 |');
    expect(md).toContain('  t1["eni-db<br/>db-instance orders (or orders-b)"]');
  });
});

/** Every line of a flowchart is a node declaration or an edge between declared nodes, labels free of quotes. */
function expectValidMermaid(md: string): void {
  const start = md.indexOf('```mermaid\n');
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = md.slice(start + 11, md.indexOf('\n```', start + 11)).split('\n');
  expect(lines.slice(0, 2)).toEqual([expect.stringMatching(/^%%\{init: .*\}%%$/), 'flowchart LR']);
  const declared = new Set<string>();
  for (const line of lines.slice(2)) {
    const decl = /^ {2}(\w+)(?:\(\("[^"]*"\)\)|\["[^"]*"\]|\{\{"[^"]*"\}\}|\[\/"[^"]*"\/\]|\(\["[^"]*"\]\))$/.exec(
      line,
    );
    const edge = /^ {2}(\w+) (?:-->|-\.->)(?:\|"[^"]*"\|)? (\w+)$/.exec(line);
    expect(decl ?? edge, line).not.toBeNull();
    if (decl) {
      expect(declared.has(decl[1]), `${decl[1]} declared twice`).toBe(false);
      declared.add(decl[1]);
    } else if (edge) {
      expect([declared.has(edge[1]), declared.has(edge[2])], line).toEqual([true, true]);
    }
  }
}

describe('lateral paths: table', () => {
  it('one row per path (from → to, ports, steps), the hop chain interface to interface, assumptions under it', () => {
    expect(renderPaths(lateral(), 'table')).toBe(
      [
        'sg-audit paths  from app (3 interfaces) to data (2 interfaces) within 2 steps: 3 paths',
        '',
        '111111111111/us-east-1',
        '  FROM          TO                        PORTS     STEPS',
        '  ec2 i-web     rds orders (or orders-b)  tcp 5432  1',
        '      eni-web → sg-web egress perm#0 → acl-web out#100 → rtb-web local → acl-db in#110',
        '        → sg-db perm#1 → eni-db',
        '  ec2 i-report  rds orders (or orders-b)  tcp 5432  1',
        '      eni-report → sg-report egress perm#0 → rtb-report 10.0.0.0/16 → pcx-1 → sg-db perm#2 → eni-db',
        '  eni-app       rds-cluster ledger        tcp 3306  1',
        '      eni-app → sg-app egress perm#2 → rtb-app 10.1.0.0/16 → tgw-1 → sg-ledger perm#0 → eni-ledger',
        '      assumes: via tgw-1, not modelled further',
        '',
        'Every pair decided.',
        '',
      ].join('\n'),
    );
  });

  it('from the internet in two steps: the internet range, then the chain through the interface it reaches', () => {
    const l = lateral({
      paths: [twoSteps],
      query: { from: 'internet', to: 'data', maxHops: 2, toInterfaces: 1 },
    });
    expect(renderPaths(l, 'table').split('\n')).toEqual([
      'sg-audit paths  from the internet to data (1 interface) within 2 steps: 1 path',
      '',
      '111111111111/us-east-1',
      '  FROM       TO                        PORTS     STEPS',
      '  0.0.0.0/0  rds orders (or orders-b)  tcp 5432  2',
      '      igw-1 → rtb-main 0.0.0.0/0 → acl-pub in#100 out#100 → sg-bastion perm#0 → eni-bastion',
      '        → sg-bastion egress perm#0 → acl-pub out#100 → rtb-main local → acl-db in#110 → sg-db perm#0',
      '        → eni-db',
      '',
      'Every pair decided.',
      '',
    ]);
    expect(lateralChain(twoSteps)[0]).toBe('igw-1');
    expect(lateralChain(webToDb)).toEqual([
      'eni-web',
      'sg-web egress perm#0',
      'acl-web out#100',
      'rtb-web local',
      'acl-db in#110',
      'sg-db perm#1',
      'eni-db',
    ]);
  });

  it("rows (table and Markdown) are grouped by the target's account/region, sorted; the model's order within", () => {
    const eu: LateralPath = { ...viaTgw, accountId: '222222222222', region: 'eu-west-1' };
    const out = renderPaths(lateral({ paths: [eu, webToDb, viaPcx] }), 'table').split('\n');
    expect(out.filter((line) => /^\d{12}\//.test(line))).toEqual(['111111111111/us-east-1', '222222222222/eu-west-1']);
    expect(out.filter((line) => line.startsWith('  ') && !line.startsWith('   ')).map((r) => r.split('  ')[1])).toEqual(
      ['FROM', 'ec2 i-web', 'ec2 i-report', 'FROM', 'eni-app'],
    );
    const md = renderPaths(lateral({ paths: [eu, webToDb, viaPcx] }), 'markdown').split('\n');
    const rows = md.filter((line) => line.startsWith('| ') && line.includes(' | 1 | '));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| instance i-web', '| instance i-report', '| eni-app']);
  });

  it('at most maxRows paths (default 200) listed, the rest counted; JSON lists all', () => {
    const out = renderPaths(lateral(), 'table', { maxRows: 2 }).split('\n');
    expect(out.filter((line) => /^ {2}\S/.test(line)).map((r) => r.split('  ')[1])).toEqual([
      'FROM',
      'ec2 i-web',
      'ec2 i-report',
    ]);
    expect(out.slice(-4)).toEqual(['', '+1 more paths (--format json lists all)', 'Every pair decided.', '']);
    const md = renderPaths(lateral(), 'markdown', { maxRows: 2 });
    expect(md).toContain('\n_The table lists the first 2 of 3 paths; --format json lists all._\n');
    expect(md).not.toContain('eni-ledger');
    const many = lateral({ paths: Array.from({ length: 201 }, () => webToDb) });
    expect(renderPaths(many, 'table')).toContain('\n+1 more paths (--format json lists all)\n');
    expect((JSON.parse(renderPaths(many, 'json')) as LateralListing).paths).toHaveLength(201);
  });

  it('every line fits 100 columns; colour only adds ANSI codes', () => {
    const l = lateral({ paths: [webToDb, viaPcx, viaTgw, twoSteps, throughLb] });
    const plain = renderPaths(l, 'table');
    for (const line of plain.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(plain).not.toContain('\u001b[');
    const coloured = renderPaths(l, 'table', { color: true });
    expect(coloured).toContain('\u001b[');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('undecided pairs are counted and listed by reason, whole accounts/regions named; never "no path"', () => {
    const l = lateral({
      paths: [],
      undecided: [
        { from: 'eni-a', to: 'eni-b', reason: 'routeTables not collected in 111111111111/us-east-1' },
        { from: 'eni-a', to: 'eni-c', reason: 'routeTables not collected in 111111111111/us-east-1' },
        {
          from: 'app',
          to: 'data',
          reason: 'network interfaces not collected',
          accountId: '222222222222',
          region: 'eu-west-1',
        },
      ],
    });
    expect(renderPaths(l, 'table')).toBe(
      [
        'sg-audit paths  from app (3 interfaces) to data (2 interfaces) within 2 steps: 0 paths',
        '',
        'No path found among the pairs that could be decided (see "Undecided").',
        'Undecided: 2 pairs and every interface of 1 account/region.',
        'Reachability unknown (data not collected), not "not reachable":',
        '  routeTables not collected in 111111111111/us-east-1 (2): eni-a → eni-b, eni-a → eni-c',
        '  222222222222/eu-west-1: network interfaces not collected',
        '',
      ].join('\n'),
    );
  });

  it('at most 20 reasons listed (table and Markdown), the rest counted; JSON lists all', () => {
    const many = Array.from({ length: 22 }, (_, i) => ({ from: 'eni-a', to: `eni-${i}`, reason: `reason ${i}` }));
    const l = lateral({ paths: [], undecided: many });
    const out = renderPaths(l, 'table').split('\n');
    expect(out.filter((line) => line.startsWith('  reason '))).toHaveLength(20);
    expect(out.slice(-3)).toEqual([
      '  reason 19 (1): eni-a → eni-19',
      '  +2 more reasons (--format json lists all)',
      '',
    ]);
    const md = renderPaths(l, 'markdown');
    expect(md).toContain('- reason 19 (1): `eni-a → eni-19`\n- +2 more reasons (--format json lists all)\n');
    expect(md).not.toContain('reason 20');
    expect((JSON.parse(renderPaths(l, 'json')) as LateralListing).undecided).toHaveLength(22);
  });

  it('nothing reaches and everything decided says so; without --to, "any interface"; --port in the headline', () => {
    expect(renderPaths(lateral({ paths: [] }), 'table')).toContain(
      '\nNo path: nothing from app reaches data within 2 steps.\n',
    );
    const anyTo = lateral({
      paths: [],
      query: { from: 'i-web', port: 5432, maxHops: 1, fromInterfaces: 1, toInterfaces: 9 },
    });
    const out = renderPaths(anyTo, 'table').split('\n');
    expect(out[0]).toBe(
      'sg-audit paths  from i-web (1 interface) to any interface (9 interfaces) on port 5432 within 1 step: 0 paths',
    );
    expect(out).toContain('No path: nothing from i-web reaches any interface within 1 step.');
  });
});

describe('lateral paths: JSON', () => {
  it('{paths: LateralPath[], undecided, query}: the listing as is, hops on one line each', () => {
    const l = lateral({
      undecided: [{ from: 'eni-a', to: 'eni-b', reason: 'networkAcls not collected in 111111111111/us-east-1' }],
    });
    const text = renderPaths(l, 'json');
    expect(JSON.parse(text)).toEqual(l);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['paths', 'undecided', 'query']);
    expect(text).toContain(
      '        {"type": "security-group", "id": "sg-web", "permissionIndex": 0, "direction": "egress"},\n',
    );
    expect(text).toContain('      "from": {"type": "network-interface", "id": "eni-app"},\n');
    expect(text).toContain(
      '  "query": {"from": "app", "to": "data", "maxHops": 2, "fromInterfaces": 3, "toInterfaces": 2}\n',
    );
  });
});

describe('JSON in pieces (a listing of a million paths is never one string)', () => {
  it('path by path, the same text as renderPaths: internet and lateral listings, with and without paths', () => {
    const listings = [
      listing({ unknown: undecided }),
      listing({ paths: [] }),
      lateral(),
      lateral({ paths: [twoSteps, throughLb], undecided: [{ from: 'internet', to: 'eni-x', reason: 'r' }] }),
      lateral({ paths: [], unreachable: [{ from: 'eni-a', to: 'eni-b', reason: 'blocked' }] }),
    ];
    for (const l of listings) {
      const chunks = [...pathsJsonChunks(l)];
      expect(chunks.join('')).toBe(renderPaths(l, 'json'));
      expect(chunks).toHaveLength(l.paths.length ? l.paths.length + 2 : 1);
    }
    expect([...renderPathsChunks(lateral(), 'json')]).toHaveLength(5);
    expect([...renderPathsChunks(lateral(), 'table')]).toEqual([renderPaths(lateral(), 'table')]);
  });
});

describe('lateral paths: Markdown', () => {
  it('a table row per path with the chain and the assumptions, and a flowchart of interfaces', () => {
    const md = renderPaths(lateral(), 'markdown');
    expect(md.slice(0, md.indexOf('```mermaid'))).toBe(
      [
        '## Lateral paths',
        '',
        '**3 paths** from app (3 interfaces) to data (2 interfaces) within 2 steps.',
        '',
        '| From | To | Protocol | Ports | Steps | Path | Assumes |',
        '|---|---|---|---|---|---|---|',
        '| instance i-web | db-instance orders (or orders-b) | tcp | 5432 | 1 | eni-web → sg-web egress perm#0 → ' +
          'acl-web out#100 → rtb-web local → acl-db in#110 → sg-db perm#1 → eni-db | - |',
        '| instance i-report | db-instance orders (or orders-b) | tcp | 5432 | 1 | eni-report → sg-report egress ' +
          'perm#0 → rtb-report 10.0.0.0/16 → pcx-1 → sg-db perm#2 → eni-db | - |',
        '| eni-app | db-cluster ledger | tcp | 3306 | 1 | eni-app → sg-app egress perm#2 → rtb-app 10.1.0.0/16 → ' +
          'tgw-1 → sg-ledger perm#0 → eni-ledger | via tgw-1, not modelled further |',
        '',
        '',
      ].join('\n'),
    );
    const diagram = md.slice(md.indexOf('flowchart LR'), md.indexOf('\n```', md.indexOf('```mermaid')));
    expect(diagram.split('\n')).toEqual([
      'flowchart LR',
      '  n1["eni-web<br/>instance i-web"]',
      '  n2["eni-db<br/>db-instance orders (or orders-b)"]',
      '  n3["eni-report<br/>instance i-report"]',
      '  pcx1{{"pcx-1"}}',
      '  n4["eni-app"]',
      '  tgw1{{"tgw-1"}}',
      '  n5["eni-ledger<br/>db-cluster ledger"]',
      '  n1 -->|"tcp 5432"| n2',
      '  n3 --> pcx1',
      '  pcx1 -->|"tcp 5432"| n2',
      '  n4 -.-> tgw1',
      '  tgw1 -.->|"tcp 3306"| n5',
    ]);
    expectValidMermaid(md);
  });

  it('multi-step paths: internet → igw → (lb → tg →) the interface reached → the target; LB nodes are the LB', () => {
    const l = lateral({
      paths: [twoSteps, throughLb],
      query: { from: 'internet', to: 'data', maxHops: 2, toInterfaces: 1 },
    });
    const md = renderPaths(l, 'markdown');
    const diagram = md.slice(md.indexOf('flowchart LR'), md.indexOf('\n```', md.indexOf('```mermaid')));
    expect(diagram.split('\n')).toEqual([
      'flowchart LR',
      '  internet(("Internet"))',
      '  igw1{{"igw-1"}}',
      '  n1["eni-bastion"]',
      '  n2["eni-db<br/>db-instance orders (or orders-b)"]',
      '  lb1[/"lb public-alb"/]',
      '  tg1(["tg web"])',
      '  n3["eni-web"]',
      '  internet --> igw1',
      '  igw1 --> n1',
      '  n1 -->|"tcp 5432"| n2',
      '  igw1 -->|"tcp 443"| lb1',
      '  lb1 --> tg1',
      '  tg1 --> n3',
      '  n3 -->|"tcp 5432"| n2',
    ]);
    expect(md).toContain('| `0.0.0.0/0` | db-instance orders (or orders-b) | tcp | 5432 | 2 | igw-1 → ');
    expectValidMermaid(md);
  });

  it('joined interfaces are named by `interfaces` (an LB node as the LB); a narrow range on the internet leg', () => {
    const fromRange: LateralPath = { ...twoSteps, source: '203.0.113.0/24' };
    const interfaces = new Map<string, PathTarget>([
      ['eni-bastion', { type: 'network-interface', id: 'eni-bastion', attachedTo: { type: 'instance', id: 'i-b' } }],
    ]);
    const l = lateral({ paths: [fromRange], query: { from: 'internet', maxHops: 2, toInterfaces: 1 } });
    const md = renderPaths(l, 'markdown', { interfaces });
    const diagram = md.slice(md.indexOf('flowchart LR'), md.indexOf('\n```', md.indexOf('```mermaid')));
    expect(diagram.split('\n')).toEqual([
      'flowchart LR',
      '  internet(("Internet"))',
      '  igw1{{"igw-1"}}',
      '  n1["eni-bastion<br/>instance i-b"]',
      '  n2["eni-db<br/>db-instance orders (or orders-b)"]',
      '  internet --> igw1',
      '  igw1 -->|"from 203.0.113.0/24"| n1',
      '  n1 -->|"tcp 5432"| n2',
    ]);
    expectValidMermaid(md);
    // A one-step internet path names its range on its only edge, with its ports.
    const oneStep: LateralPath = { ...fromRange, hops: fromRange.hops.slice(0, 5), steps: 1 };
    expect(renderPaths(lateral({ paths: [oneStep] }), 'markdown')).toContain(
      '  igw1 -->|"tcp 5432 from 203.0.113.0/24"| n1',
    );
  });

  it('labels are escaped and the diagram stays valid with odd ids; at most maxDiagramPaths drawn', () => {
    const odd: LateralPath = {
      ...webToDb,
      from: { type: 'network-interface', id: 'eni-"x"', attachedTo: { type: 'instance', id: 'i-<b>' } },
    };
    const md = renderPaths(lateral({ paths: [odd, viaTgw] }), 'markdown', { maxDiagramPaths: 1 });
    expect(md).toContain('  n1["eni-#34;x#34;<br/>instance i-#60;b#62;"]');
    expect(md).toContain('_The diagram draws the first 1 of 2 paths; the table lists all._');
    expect(md).not.toContain('tgw1{{');
    expectValidMermaid(md);
  });

  it('undecided pairs have their own section; no path is said, never silent', () => {
    const l: LateralListing = lateral({
      paths: [],
      undecided: [
        { from: 'internet', to: 'eni-db', reason: 'subnets not collected in 111111111111/us-east-1' },
        {
          from: 'internet',
          to: 'data',
          reason: 'network interfaces not collected',
          accountId: '222222222222',
          region: 'eu-west-1',
        },
      ],
      query: { from: 'internet', to: 'data', maxHops: 2, toInterfaces: 1 },
    });
    expect(renderPaths(l, 'markdown')).toBe(
      [
        '## Lateral paths',
        '',
        '**0 paths** from the internet to data (1 interface) within 2 steps.',
        '',
        '_No path found among the pairs that could be decided (see "Undecided")._',
        '',
        '### Undecided',
        '',
        'Undecided: 1 pair and every interface of 1 account/region. Reachability unknown (data not collected), ' +
          'not "not reachable":',
        '',
        '- subnets not collected in 111111111111/us-east-1 (1): `internet → eni-db`',
        '- `222222222222/eu-west-1`: network interfaces not collected',
        '',
      ].join('\n'),
    );
  });
});
