import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/engine/types.js';
import { junitReporter, xmlSafe } from '../../src/report/junit.js';
import { parseSuppressions } from '../../src/gate/suppressions.js';
import { region, sg, snapshot, tcp } from '../helpers/estate.js';
import { estate, reportOf, STUB_RULES } from './fixture.js';

type Node = any;

function parse(xml: string): Node {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
    parseAttributeValue: false,
  });
  return parser.parse(xml);
}

function summary(doc: Node) {
  return doc.testsuites.testsuite.map((s: Node) => ({
    name: s.name,
    counts: [s.tests, s.failures, s.errors, s.skipped].join('/'),
    cases: (s.testcase ?? []).map(
      (c: Node) => `${c.name}:${c.failure ? 'F' : ''}${c.error ? 'E' : ''}${c.skipped ? 'S' : ''}`,
    ),
  }));
}

describe('JUnit', () => {
  it('one suite per rule, one case per (rule, resource), failures and errors counted', () => {
    const doc = parse(junitReporter.render(reportOf(estate()).report, { color: false }));
    const r = 'us-east-1';
    expect(summary(doc)).toEqual([
      { name: 'collection-error', counts: '1/0/1/0', cases: ['111111111111/us-west-2:E'] },
      { name: 'stub-data-tier', counts: '1/1/0/0', cases: [`111111111111/${r}/sg-0data:F`] },
      {
        name: 'stub-world-ingress',
        counts: '6/1/0/0',
        cases: ['sg-0data:F', 'sg-0admin:', 'sg-0app:', 'sg-0idle:', 'sg-0lb:', 'sg-0web:'].map(
          (c) => `111111111111/${r}/${c}`,
        ),
      },
      { name: 'stub-admin-ports', counts: '1/1/0/0', cases: [`111111111111/${r}/sg-0admin:F`] },
      { name: 'stub-untagged', counts: '1/1/0/0', cases: [`111111111111/${r}/sg-0admin:F`] },
    ]);
    const t = doc.testsuites;
    expect([t.tests, t.failures, t.errors, t.skipped]).toEqual(['10', '4', '1', '0']);
    // Three data-tier findings on one group: one failure listing all three, with fix commands.
    const data = doc.testsuites.testsuite[1].testcase[0].failure;
    expect(data.type).toBe('critical');
    expect(data['#text'].split('\n').filter((l: string) => l.startsWith('[critical]'))).toHaveLength(3);
    expect(data['#text']).toContain(
      "fix: aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-0data --ip-permissions '<rule admitting sg-0web>'",
    );
  });

  it('suppressed findings are skipped with the reason', () => {
    const suppressions = parseSuppressions(
      [{ rule: 'stub-admin-ports', resource: 'sg-0admin', reason: 'VPN only' }],
      'sup.yaml',
    );
    const doc = parse(junitReporter.render(reportOf(estate(), { suppressions }).report, { color: false }));
    const admin = doc.testsuites.testsuite.find((s: Node) => s.name === 'stub-admin-ports');
    expect([admin.tests, admin.failures, admin.skipped]).toEqual(['1', '0', '1']);
    expect(admin.testcase[0].skipped.message).toBe('suppressed: VPN only');
  });

  it('escapes markup and drops characters XML cannot carry, round-tripping the text', () => {
    const nasty = 'a <b> & "c" \'d\' ]]> \u0001\u001f end';
    const rule: Rule = {
      ...STUB_RULES[3],
      meta: { ...STUB_RULES[3].meta, id: 'stub-nasty', title: nasty, messages: { untagged: 'Group {{name}} is odd.' } },
    };
    const snap = snapshot(region({ groups: [sg('sg-x', { name: nasty, ingress: [tcp(80, '10.0.0.0/8')] })] }));
    const xml = junitReporter.render(reportOf(snap, { rules: [rule] }).report, { color: false });
    expect(xml).not.toMatch(/[\u0001\u001f]/);
    const doc = parse(xml);
    const suite = doc.testsuites.testsuite[0];
    expect(suite.properties.property[0]).toEqual({ name: 'title', value: xmlSafe(nasty) });
    const failure = suite.testcase[0].failure;
    expect(failure.message).toBe(`Group ${xmlSafe(nasty)} is odd.`);
    expect(failure['#text']).toContain(`Group ${xmlSafe(nasty)} is odd.`);
  });

  it('a rule that found nothing still has its (empty) suite', () => {
    const snap = snapshot(region({ groups: [sg('sg-a', { tier: 'app' })] }));
    const doc = parse(junitReporter.render(reportOf(snap).report, { color: false }));
    const data = doc.testsuites.testsuite.find((s: Node) => s.name === 'stub-data-tier');
    expect([data.tests, data.failures, data.testcase]).toEqual(['0', '0', undefined]);
    expect(doc.testsuites.failures).toBe('0');
  });
});
