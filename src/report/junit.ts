/**
 * JUnit XML for CI test reports (GitLab `artifacts:reports:junit`, Jenkins, Azure DevOps).
 *
 * One <testsuite> per rule (rules that ran, plus `collection-error` when collection failed), one
 * <testcase> per (rule, account/region/resource). A testcase gets
 * - <failure> when the resource has failing findings that count (all of them are listed in the body,
 *   with their fix commands); a failure below `--fail-on` is still a <failure>: the threshold only gates
 *   the exit code;
 * - <skipped> when every failing finding is accepted: suppressed (message = the reason) or already
 *   failing in the `--baseline`;
 * - <error> for error findings (results unknown);
 * - nothing for passes.
 * Built with fast-xml-parser's XMLBuilder (it escapes text and attributes); characters XML 1.0 forbids
 * are removed first.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { COLLECTION_RULE_ID } from '../engine/evaluate.js';
import { resourcePath } from './build.js';
import { exposureLine, exposureToExplain } from './exposure-text.js';
import type { Reporter, Report, ReportFinding } from './model.js';

// Control characters and other code points XML 1.0 cannot carry, even escaped.
const INVALID_XML = new RegExp(
  [
    // eslint-disable-next-line no-control-regex -- these code points are exactly what must be removed
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.source,
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.source, // a high surrogate without its low half
    /(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.source, // a low surrogate without its high half
  ].join('|'),
  'g',
);

export function xmlSafe(s: string): string {
  return s.replace(INVALID_XML, '');
}

/** For attributes: one line (parsers normalise newlines in attributes to spaces anyway). */
function attr(s: string): string {
  return xmlSafe(s).replace(/\s*[\r\n]+\s*/g, ' ');
}

function findingLine(f: ReportFinding): string {
  const marks = [
    f.suppression
      ? `suppressed: ${f.suppression.reason}${f.suppression.expires ? ` (until ${f.suppression.expires})` : ''}`
      : '',
    f.baseline === 'unchanged' ? 'in baseline' : f.baseline === 'new' ? 'new' : '',
  ].filter(Boolean);
  const lines = [`[${f.severity}] ${f.message}${marks.length ? ` [${marks.join('; ')}]` : ''}`];
  // Reachable: the first path; unknown: what was not collected (unless the message already says it).
  const explain = exposureToExplain(f);
  if (explain) lines.push(`  internet: ${exposureLine(explain, f.resource.id)}`);
  for (const cmd of f.remediation) lines.push(`  fix: ${cmd}`);
  return lines.join('\n');
}

interface Case {
  /** Findings of one rule on one resource; never empty. */
  findings: ReportFinding[];
}

export function renderJunit(report: Report): string {
  const suites = new Map<string, Map<string, Case>>();
  const order = [
    ...(report.findings.some((f) => f.ruleId === COLLECTION_RULE_ID) ? [COLLECTION_RULE_ID] : []),
    ...report.rules.map((r) => r.id),
  ];
  for (const id of order) suites.set(id, new Map<string, Case>());
  for (const f of report.findings) {
    let suite = suites.get(f.ruleId);
    if (!suite) suites.set(f.ruleId, (suite = new Map<string, Case>()));
    const key = `${f.accountId}\u0000${f.region}\u0000${f.resource.id}`;
    let c = suite.get(key);
    if (!c) suite.set(key, (c = { findings: [] }));
    c.findings.push(f);
  }

  // JUnit's xs:dateTime without zone or fraction; the report's generatedAt is UTC.
  const timestamp = report.generatedAt.replace(/(\.\d+)?Z$/, '');
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suiteNodes = [...suites].map(([ruleId, cases]) => {
    const meta = report.rules.find((r) => r.id === ruleId);
    const counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    const testcases = [...cases.values()].map((c) => {
      counts.tests++;
      const fails = c.findings.filter((f) => f.status === 'fail');
      const counting = fails.filter((f) => !f.suppression && f.baseline !== 'unchanged');
      const errors = c.findings.filter((f) => f.status === 'error');
      const node: Record<string, unknown> = {
        '@_name': attr(resourcePath(c.findings[0])),
        '@_classname': attr(`sg-audit.${ruleId}`),
        '@_time': '0',
      };
      if (counting.length) {
        counts.failures++;
        node.failure = {
          '@_message': attr(counting[0].message + (counting.length > 1 ? ` (+${counting.length - 1} more)` : '')),
          '@_type': counting[0].severity,
          '#text': xmlSafe(fails.map(findingLine).join('\n')),
        };
      } else if (fails.length) {
        counts.skipped++;
        const f = fails[0];
        node.skipped = {
          '@_message': attr(
            f.suppression ? `suppressed: ${f.suppression.reason}` : 'in baseline: failing before this change',
          ),
          '#text': xmlSafe(fails.map(findingLine).join('\n')),
        };
      }
      if (errors.length) {
        counts.errors++;
        node.error = {
          '@_message': attr(errors[0].message),
          '@_type': errors[0].ruleId === COLLECTION_RULE_ID ? 'collection-error' : 'rule-error',
          '#text': xmlSafe(errors.map((f) => f.message).join('\n')),
        };
      }
      return node;
    });
    totals.tests += counts.tests;
    totals.failures += counts.failures;
    totals.errors += counts.errors;
    totals.skipped += counts.skipped;
    return {
      '@_name': attr(ruleId),
      '@_tests': String(counts.tests),
      '@_failures': String(counts.failures),
      '@_errors': String(counts.errors),
      '@_skipped': String(counts.skipped),
      '@_time': '0',
      '@_timestamp': timestamp,
      ...(meta
        ? {
            properties: {
              property: [
                { '@_name': 'title', '@_value': attr(meta.title) },
                { '@_name': 'severity', '@_value': meta.severity },
                { '@_name': 'category', '@_value': meta.category },
              ],
            },
          }
        : {}),
      ...(testcases.length ? { testcase: testcases } : {}),
    };
  });

  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'sg-audit',
      '@_tests': String(totals.tests),
      '@_failures': String(totals.failures),
      '@_errors': String(totals.errors),
      '@_skipped': String(totals.skipped),
      '@_time': '0',
      testsuite: suiteNodes,
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    indentBy: '  ',
    suppressEmptyNode: true,
    processEntities: true,
  });
  return builder.build(doc);
}

export const junitReporter: Reporter = {
  format: 'junit',
  render(report) {
    const xml = renderJunit(report);
    return xml.endsWith('\n') ? xml : xml + '\n';
  },
};
