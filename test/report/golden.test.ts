/**
 * Golden files for every format, from the stub estate (test/report/fixture.ts). UPDATE_GOLDEN=1 rewrites
 * them; review the diff like code.
 */
import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../../src/gate/baseline.js';
import { reporterFor } from '../../src/report/index.js';
import type { Format } from '../../src/report/model.js';
import { parseSuppressions } from '../../src/gate/suppressions.js';
import { estate, expectGolden, reportOf } from './fixture.js';

const EXT: Record<Format, string> = {
  table: 'table.txt',
  json: 'json',
  sarif: 'sarif',
  junit: 'junit.xml',
  markdown: 'md',
};

function scenarios() {
  const plain = reportOf(estate());
  const earlier = reportOf(estate({ extraDataWorldPort: false, appSsh: true }));
  const baseline = parseBaseline(
    JSON.parse(reporterFor('json').render(earlier.report, { color: false })),
    'baseline.json',
  );
  const suppressions = parseSuppressions(
    {
      suppressions: [
        {
          rule: 'stub-admin-*',
          resource: 'sg-0admin',
          reason: 'Bastion reachable from the office VPN only (SEC-42)',
          expires: '2999-12-31',
        },
        { rule: 'stub-untagged', resource: 'sg-*', reason: 'Tagging backlog', expires: '2026-01-31' },
        { rule: 'stub-world-ingress', resource: 'arn:aws:ec2:*:*:security-group/sg-gone', reason: 'Deleted group' },
      ],
    },
    '.sg-audit-suppressions.yaml',
  );
  const gated = reportOf(estate(), { suppressions, baseline, failOn: 'high' });
  return { plain, gated };
}

describe('golden reports', () => {
  const all = scenarios();
  for (const [name, { report, topology }] of Object.entries(all)) {
    for (const format of Object.keys(EXT) as Format[]) {
      it(`${name} ${format}`, () => {
        // The in-process report has a fixed time and version (fixture.ts), so nothing needs normalising.
        const out = reporterFor(format).render(report, { color: false, topology });
        expectGolden(`${name}.${EXT[format]}`, out);
      });
    }
  }

  it('renders the same bytes twice (no hidden time or order dependence)', () => {
    const a = scenarios();
    const b = scenarios();
    for (const format of Object.keys(EXT) as Format[]) {
      expect(reporterFor(format).render(a.gated.report, { color: false, topology: a.gated.topology })).toBe(
        reporterFor(format).render(b.gated.report, { color: false, topology: b.gated.topology }),
      );
    }
  });
});
