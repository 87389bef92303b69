/**
 * Reachability next to each finding in every report format (issue #12): table, Markdown, SARIF, JSON, JUnit.
 * Findings are built by a stub rule that reports hand-made exposures, so the renderers are tested alone.
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/config/schema.js';
import { evaluateRules } from '../../src/engine/evaluate.js';
import type { Rule } from '../../src/engine/types.js';
import type { Exposure, ExposurePath } from '../../src/exposure/types.js';
import { buildGraph } from '../../src/graph/build.js';
import { buildReport } from '../../src/report/build.js';
import { exposureLine, morePaths, pathText, pathTotal, wrapParts } from '../../src/report/exposure-text.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Report } from '../../src/report/model.js';
import { renderSarif } from '../../src/report/sarif.js';
import { tableReporter } from '../../src/report/table.js';
import { jsonReporter } from '../../src/report/json.js';
import { ACCOUNT, REGION, region, sg, snapshot, tcp } from '../helpers/estate.js';

const PATH: ExposurePath = {
  from: 'internet',
  source: '0.0.0.0/0',
  target: { type: 'network-interface', id: 'eni-bastion', attachedTo: { type: 'instance', id: 'i-bastion' } },
  protocol: 'tcp',
  ports: [[22, 22]],
  hops: [
    { type: 'internet-gateway', id: 'igw-1' },
    { type: 'route-table', id: 'rtb-pub', route: '0.0.0.0/0' },
    { type: 'network-acl', id: 'acl-1', direction: 'inbound', rule: 100 },
    { type: 'network-acl', id: 'acl-1', direction: 'outbound', rule: 100 },
    { type: 'security-group', id: 'sg-reach', permissionIndex: 0 },
  ],
  accountId: ACCOUNT,
  region: REGION,
};
const PATH_TEXT =
  'tcp 22 from 0.0.0.0/0: igw-1 → rtb-pub 0.0.0.0/0 → acl-1 in#100 out#100 → sg-reach perm#0 → eni-bastion (instance i-bastion)';

const EXPOSURE: Record<string, Exposure | undefined> = {
  'sg-reach': {
    status: 'reachable',
    reason: 'tcp 22 from 0.0.0.0/0 via igw-1 rtb-pub acl-1 rule 100',
    paths: [PATH, { ...PATH, target: { type: 'network-interface', id: 'eni-2' } }],
  },
  'sg-private': {
    status: 'unreachable',
    reason: 'route table rtb-priv has no route to an internet gateway for 0.0.0.0/0',
    paths: [],
  },
  'sg-unknown': { status: 'unknown', reason: 'subnets, route tables and network ACLs were not collected', paths: [] },
  'sg-plain': undefined,
  // Five paths: the finding keeps the first three and counts them all (src/engine/evaluate.ts findingExposure).
  'sg-many': {
    status: 'reachable',
    reason: 'tcp 22 from 0.0.0.0/0 via igw-1 rtb-pub acl-1 rule 100',
    paths: [1, 2, 3, 4, 5].map((n) => ({ ...PATH, target: { type: 'network-interface', id: `eni-m${n}` } })),
  },
};
const MANY = ' (5 paths; `sg-audit paths --to sg-many` lists all)';

const stub: Rule = {
  meta: {
    id: 'stub-exposed',
    title: 'Stub world-open rule',
    severity: 'high',
    category: 'least-privilege',
    rationale: 'r',
    remediation: 'm',
    references: [],
    messages: { open: 'Security group {{group}} admits tcp 22 from 0.0.0.0/0.' },
    needs: ['securityGroups'],
  },
  check(ctx) {
    for (const g of ctx.graph.groups) {
      const exposure = EXPOSURE[g.id];
      ctx.report({
        messageId: 'open',
        status: 'fail',
        accountId: g.accountId,
        region: g.region,
        resource: { type: 'security-group', id: g.id },
        data: { group: g.id },
        remediation: [`aws ec2 revoke-security-group-ingress --group-id ${g.id}`],
        ...(exposure ? { exposure } : {}),
      });
    }
  },
};

function report(): Report {
  const snap = snapshot(
    region({ groups: Object.keys(EXPOSURE).map((id) => sg(id, { ingress: [tcp(22, '0.0.0.0/0')] })) }),
  );
  const graph = buildGraph(snap, defaultSettings());
  const { findings } = evaluateRules(graph, [stub]);
  return buildReport({
    graph,
    rules: [stub],
    findings,
    version: '0.0.0-test',
    snapshotCreatedAt: snap.createdAt,
    generatedAt: '2026-03-01T12:00:00.000Z',
  });
}

const byId = (r: Report, id: string) => r.findings.find((f) => f.resource.id === id)!;

describe('exposure text', () => {
  it('a path: traffic and source, the hops in paths words, the target and what it is attached to', () => {
    expect(pathText(PATH)).toBe(PATH_TEXT);
  });

  it('one line per status; unknown never reads like not reachable', () => {
    expect(exposureLine(EXPOSURE['sg-reach']!)).toBe(`reachable: ${PATH_TEXT} (+1 more path)`);
    expect(exposureLine(EXPOSURE['sg-private']!)).toBe(
      'not reachable: route table rtb-priv has no route to an internet gateway for 0.0.0.0/0',
    );
    expect(exposureLine(EXPOSURE['sg-unknown']!)).toBe(
      'reachability unknown: subnets, route tables and network ACLs were not collected',
    );
  });

  it('a finding that kept 3 of its paths says how many there are and which paths command lists them', () => {
    const many: Exposure = { ...EXPOSURE['sg-reach']!, paths: [PATH, PATH, PATH], pathCount: 304 };
    expect(exposureLine(many, 'sg-reach')).toBe(
      `reachable: ${PATH_TEXT} (304 paths; \`sg-audit paths --to sg-reach\` lists all)`,
    );
    // Without the finding's resource: the paths' one target, else the command alone.
    expect(morePaths(many)).toBe(' (304 paths; `sg-audit paths --to eni-bastion` lists all)');
    const mixed = { ...many, paths: [PATH, { ...PATH, target: { type: 'network-interface' as const, id: 'eni-2' } }] };
    expect(morePaths(mixed)).toBe(' (304 paths; `sg-audit paths` lists all)');
    expect(pathTotal(many)).toBe(304);
    expect(pathTotal(EXPOSURE['sg-reach']!)).toBe(2);
  });

  it('wraps hop chains at the width, continuation lines indented', () => {
    expect(wrapParts('path: ', ['aaaa', 'bbbb', 'cccc'], '  ', 16)).toEqual(['path: aaaa →', '  bbbb → cccc']);
  });
});

describe('reports show reachability next to the finding', () => {
  const r = report();

  it('table: a mark after the severity, the first path under a reachable finding, the reason under an unknown', () => {
    const out = tableReporter.render(r, { color: false });
    const lines = out.split('\n');
    const header = (id: string) => lines.find((l) => l.includes(`${ACCOUNT}/${REGION}  ${id}`))!;
    expect(header('sg-reach')).toBe(`  FAIL  high     reachable  ${ACCOUNT}/${REGION}  sg-reach`);
    expect(header('sg-private')).toBe(`  FAIL  medium   not reachable  ${ACCOUNT}/${REGION}  sg-private`);
    expect(header('sg-unknown')).toBe(`  FAIL  high     reachability unknown  ${ACCOUNT}/${REGION}  sg-unknown`);
    expect(header('sg-plain')).toBe(`  FAIL  high     ${ACCOUNT}/${REGION}  sg-plain`);
    const at = lines.indexOf(header('sg-reach'));
    expect(lines.slice(at + 2, at + 4)).toEqual([
      '        path: tcp 22 from 0.0.0.0/0 (+1 more): igw-1 → rtb-pub 0.0.0.0/0 → acl-1 in#100 out#100 →',
      '          sg-reach perm#0 → eni-bastion (instance i-bastion)',
    ]);
    const manyAt = lines.indexOf(header('sg-many'));
    expect(lines[manyAt + 2]).toBe(`        path: tcp 22 from 0.0.0.0/0${MANY}: igw-1 →`);
    const unknownAt = lines.indexOf(header('sg-unknown'));
    expect(lines[unknownAt + 2]).toBe(
      '        reachability unknown: subnets, route tables and network ACLs were not collected',
    );
    // Legible at 100 columns: every exposure line fits.
    for (const l of lines.filter((x) => x.startsWith('        path:') || x.startsWith('          sg-'))) {
      expect(l.length).toBeLessThanOrEqual(100);
    }
  });

  it("table: an exposure rule's finding (its message states the path) gets the mark but no second path line", () => {
    const own = { ...r, findings: r.findings.map((f) => ({ ...f, category: 'exposure' as const })) };
    const lines = tableReporter.render(own, { color: false }).split('\n');
    expect(lines.some((l) => l.includes(`reachable  ${ACCOUNT}/${REGION}  sg-reach`))).toBe(true);
    expect(lines.filter((l) => l.startsWith('        path:') || l.startsWith('        reachability unknown'))).toEqual(
      [],
    );
  });

  it('Markdown: an Internet column with the first path, not reachable, or unknown and why', () => {
    const md = renderMarkdown(r, { color: false });
    expect(md).toContain('| Severity | Rule | Resource | Account / region | Internet | Finding |');
    const row = (id: string) => md.split('\n').find((l) => l.includes(`\`${id}\``))!;
    expect(row('sg-reach')).toContain(
      '| 🌐 **reachable** (+1 more): tcp 22 from 0.0.0.0/0: igw-1 → rtb-pub 0.0.0.0/0 → acl-1 in#100 out#100 → ' +
        'sg-reach perm#0 → eni-bastion (instance i-bastion) |',
    );
    expect(row('sg-private')).toMatch(/^\| medium \| .* \| not reachable \| .*Not reachable from the internet: route/);
    expect(row('sg-unknown')).toContain(
      '| reachability unknown: subnets, route tables and network ACLs were not collected |',
    );
    expect(row('sg-plain')).toContain('| — |');
    expect(row('sg-many')).toContain(`| 🌐 **reachable**${MANY}: tcp 22 from 0.0.0.0/0: igw-1 → `);
  });

  it('Markdown: no Internet column when no finding carries exposure', () => {
    const plain = { ...r, findings: r.findings.map(({ exposure: _e, ...f }) => f) };
    expect(renderMarkdown(plain, { color: false })).toContain(
      '| Severity | Rule | Resource | Account / region | Finding |',
    );
  });

  it('SARIF: properties.exposure with status and reason, and the message text says it', () => {
    const sarif = renderSarif(r) as {
      runs: { results: { message: { text: string }; properties: Record<string, unknown>; locations: unknown }[] }[];
    };
    const results = sarif.runs[0].results;
    const of = (id: string) => results.find((x) => JSON.stringify(x.locations).includes(id))!;
    expect(of('sg-reach').properties.exposure).toEqual({
      status: 'reachable',
      reason: 'tcp 22 from 0.0.0.0/0 via igw-1 rtb-pub acl-1 rule 100',
      paths: 2,
      firstPath: PATH_TEXT,
    });
    expect(of('sg-reach').message.text).toContain(`\n\nInternet: reachable: ${PATH_TEXT} (+1 more path)\n\nFix:`);
    expect(of('sg-private').properties.exposure).toEqual({
      status: 'unreachable',
      reason: 'route table rtb-priv has no route to an internet gateway for 0.0.0.0/0',
      paths: 0,
    });
    expect(of('sg-private').message.text).toMatch(
      /^Security group sg-private admits .* Not reachable from the internet/,
    );
    expect(of('sg-unknown').message.text).toContain('Internet: reachability unknown: subnets');
    expect(of('sg-plain').properties.exposure).toBeUndefined();
    expect(of('sg-many').properties.exposure).toMatchObject({ paths: 5 });
    expect(of('sg-many').message.text).toContain(`reachable: ${pathText(EXPOSURE['sg-many']!.paths[0])}${MANY}`);
    expect(of('sg-plain').message.text).not.toContain('Internet:');
  });

  it('JSON: exposure on each finding as in types.ts, paths included', () => {
    const json = JSON.parse(jsonReporter.render(r, { color: false })) as Report;
    expect(byId(json, 'sg-reach').exposure).toEqual(EXPOSURE['sg-reach']);
    expect(byId(json, 'sg-private').exposure).toEqual(EXPOSURE['sg-private']);
    expect(byId(json, 'sg-unknown').exposure).toEqual(EXPOSURE['sg-unknown']);
    expect(byId(json, 'sg-plain')).not.toHaveProperty('exposure');
    expect(byId(json, 'sg-many').exposure).toEqual({
      ...EXPOSURE['sg-many'],
      paths: EXPOSURE['sg-many']!.paths.slice(0, 3),
      pathCount: 5,
    });
    expect(byId(json, 'sg-private').severity).toBe('medium');
  });

  it('JUnit: the failure text has the path or what is unknown', () => {
    const xml = renderJunit(r);
    expect(xml).toContain(`  internet: reachable: ${PATH_TEXT} (+1 more path)`);
    expect(xml).toContain(
      '  internet: reachability unknown: subnets, route tables and network ACLs were not collected',
    );
    expect(xml).not.toContain('internet: not reachable');
    expect(xml).toContain(`  internet: reachable: ${pathText(EXPOSURE['sg-many']!.paths[0])}${MANY}`);
    expect(xml).toContain(
      '[medium] Security group sg-private admits tcp 22 from 0.0.0.0/0. Not reachable from the internet',
    );
  });

  it("SARIF and JUnit: an exposure rule's finding (its message states the path) gets no second Internet line", () => {
    const own = { ...r, findings: r.findings.map((f) => ({ ...f, category: 'exposure' as const })) };
    const sarif = renderSarif(own) as { runs: { results: { message: { text: string } }[] }[] };
    expect(sarif.runs[0].results.filter((x) => x.message.text.includes('Internet:'))).toEqual([]);
    expect(renderJunit(own)).not.toContain('  internet: ');
    // The structured exposure stays on the SARIF result.
    expect(
      (renderSarif(own) as { runs: { results: { properties: Record<string, unknown> }[] }[] }).runs[0].results.some(
        (x) => x.properties.exposure !== undefined,
      ),
    ).toBe(true);
  });
});
