/**
 * Issue #10 item 13: the headline (markdown) and the gate line (table) tell the truth: "No failing
 * findings" only when nothing fails; with a baseline, suppressions or a threshold they say what keeps the
 * failing findings from failing the build.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gateBreakdown } from '../../src/gate/gate.js';
import { passVerdict } from '../../src/report/verdict.js';
import { parseBaseline } from '../../src/gate/baseline.js';
import { reporterFor } from '../../src/report/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { parseSuppressions } from '../../src/gate/suppressions.js';
import { tableReporter } from '../../src/report/table.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { DEMO_ESTATE, tempDir } from '../helpers/files.js';
import { assertCliBuilt, runCli } from '../helpers/spawn-cli.js';
import { estate, reportOf } from './fixture.js';

/** The stub estate without its collection-error region: 7 failing findings, no errors. */
const complete = (o?: Parameters<typeof estate>[0]): Snapshot => {
  const s = estate(o);
  return { ...s, regions: s.regions.filter((r) => r.errors.length === 0) };
};
const baselineOf = (snap: Snapshot) =>
  parseBaseline(JSON.parse(reporterFor('json').render(reportOf(snap).report, { color: false })), 'baseline.json');
const headline = (r: ReturnType<typeof reportOf>) =>
  renderMarkdown(r.report, { color: false, topology: r.topology }).split('\n')[0];
const gateLine = (r: ReturnType<typeof reportOf>) =>
  tableReporter.render(r.report, { color: false }).trimEnd().split('\n').at(-1);

describe('headline with a baseline', () => {
  it('nothing new: "No new failing findings (7 known from the baseline)", never "No failing findings"', () => {
    const r = reportOf(complete(), { baseline: baselineOf(complete()) });
    expect(r.report.summary.fail).toBe(7);
    expect(headline(r)).toBe('## sg-audit: ✅ No new failing findings (7 known from the baseline)');
    expect(gateLine(r)).toBe('No new failing findings (7 known from the baseline)');
  });

  it('something new fails: the ❌ verdict counts only the new ones', () => {
    const r = reportOf(complete(), { baseline: baselineOf(complete({ extraDataWorldPort: false })) });
    expect(headline(r)).toBe('## sg-audit: ❌ 2 failing findings fail the build');
    expect(gateLine(r)).toBe('2 failing finding(s) fail the build');
  });

  it('new findings below --fail-on are not hidden by "no new"', () => {
    const r = reportOf(complete(), {
      baseline: baselineOf(complete({ extraDataWorldPort: false })),
      failOn: 'critical',
    });
    // The new ones: one critical (blocking) … so use a threshold above both new ones instead.
    expect(headline(r)).toBe('## sg-audit: ❌ 1 failing finding fails the build');
    const above = reportOf(complete({ appSsh: true }), {
      baseline: baselineOf(complete({ appSsh: false })),
      failOn: 'critical',
    });
    expect(headline(above)).toBe(
      '## sg-audit: ✅ No new failing findings at critical or above (7 known from the baseline, 2 below critical)',
    );
  });
});

describe('headline of an incomplete scan', () => {
  it('errors and known failing findings: both are said', () => {
    const r = reportOf(estate(), { baseline: baselineOf(estate()) });
    expect(headline(r)).toBe(
      '## sg-audit: ⚠️ Scan incomplete: 1 error, results are unknown there; no new failing findings (7 known from the baseline)',
    );
  });
});

describe('headline without a baseline', () => {
  it('below the threshold: says at which severity, and how many are below', () => {
    const r = reportOf(complete({ extraDataWorldPort: false }), { failOn: 'critical' });
    expect(r.report.summary.fail).toBeGreaterThan(0);
    expect(headline(r)).toMatch(/^## sg-audit: ❌/);
    const low = reportOf(complete(), { failOn: 'none' });
    expect(headline(low)).toBe('## sg-audit: ✅ No finding fails the build (--fail-on none) (7 failing)');
  });

  it('all suppressed: "No unsuppressed failing findings (n suppressed)"', () => {
    const suppressions = parseSuppressions(
      { suppressions: [{ rule: 'stub-*', resource: 'sg-*', reason: 'accepted (SEC-1)', expires: '2999-12-31' }] },
      's.yaml',
    );
    const r = reportOf(complete(), { suppressions });
    expect(headline(r)).toBe('## sg-audit: ✅ No unsuppressed failing findings (7 suppressed)');
    expect(gateLine(r)).toBe('No unsuppressed failing findings (7 suppressed)');
  });

  it('the note line breaks the non-blocking findings down', () => {
    const r = reportOf(complete(), {
      baseline: baselineOf(complete({ extraDataWorldPort: false })),
      failOn: 'critical',
    });
    const md = renderMarkdown(r.report, { color: false, topology: r.topology });
    expect(md).toContain('> 6 failing findings do not fail the build: 5 known from the baseline, 1 below critical.');
  });

  it('passVerdict: "No failing findings" only when none fail', () => {
    expect(passVerdict({ failing: 0, blocking: 0, suppressed: 0, known: 0, below: 0 }, 'info', true)).toBe(
      'No failing findings',
    );
    expect(passVerdict({ failing: 53, blocking: 0, suppressed: 0, known: 53, below: 0 }, 'info', true)).toBe(
      'No new failing findings (53 known from the baseline)',
    );
    expect(gateBreakdown([], 'info')).toEqual({ failing: 0, blocking: 0, suppressed: 0, known: 0, below: 0 });
  });
});

describe('CLI: demo estate scanned against its own baseline', () => {
  beforeAll(assertCliBuilt);
  it('markdown headline and table gate line name the known findings; exit 0', () => {
    const dir = tempDir('verdict');
    const base = runCli(
      ['scan', '--input', DEMO_ESTATE, '--format', 'json', '--output', path.join(dir, 'baseline.json')],
      { cwd: dir },
    );
    expect(base.code).toBe(1);
    const fails = (JSON.parse(readFileSync(path.join(dir, 'baseline.json'), 'utf8')) as { summary: { fail: number } })
      .summary.fail;
    expect(fails).toBeGreaterThan(0);
    const md = runCli(['scan', '--input', DEMO_ESTATE, '--baseline', 'baseline.json', '--format', 'markdown'], {
      cwd: dir,
    });
    expect(md.code).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe(`## sg-audit: ✅ No new failing findings (${fails} known from the baseline)`);
    const table = runCli(['scan', '--input', DEMO_ESTATE, '--baseline', 'baseline.json'], { cwd: dir });
    expect(table.code).toBe(0);
    expect(table.stdout.trimEnd().split('\n').at(-1)).toBe(
      `No new failing findings (${fails} known from the baseline)`,
    );
  });
});
