import { Chalk } from 'chalk';
import type { Severity } from '../config/schema.js';
import type { Finding } from '../engine/types.js';
import type { Report, Reporter, ReportFinding } from './model.js';
import { gateBreakdown } from '../gate/gate.js';
import { exposureLine, exposureToExplain, morePaths, pathParts, REACH_MARK, wrapParts } from './exposure-text.js';
import { passVerdict } from './verdict.js';
import { suppressionWarnings } from '../gate/suppressions.js';

function resourceLabel(f: Finding): string {
  const rel = f.related.length ? ` → ${f.related.map((r) => `${r.type} ${r.name ?? r.id}`).join(', ')}` : '';
  const name = f.resource.name && f.resource.name !== f.resource.id ? ` (${f.resource.name})` : '';
  return `${f.resource.id}${name}${rel}`;
}

export const tableReporter: Reporter = {
  format: 'table',
  render(report: Report, ctx) {
    const c = new Chalk({ level: ctx.color ? 1 : 0 });
    const sevColour: Record<Severity, (s: string) => string> = {
      critical: (s) => c.bold.red(s),
      high: (s) => c.red(s),
      medium: (s) => c.yellow(s),
      low: (s) => c.cyan(s),
      info: (s) => c.gray(s),
    };
    const lines: string[] = [];
    const { scope } = report;
    lines.push(
      c.bold(`sg-audit ${report.tool.version}`) +
        `  ${scope.securityGroups} security groups · ${scope.accounts.length} account(s) ` +
        `· ${scope.regions.length} region(s)`,
    );
    lines.push('');

    const byRule = new Map<string, ReportFinding[]>();
    for (const f of report.findings) {
      const list = byRule.get(f.ruleId);
      if (list) list.push(f);
      else byRule.set(f.ruleId, [f]);
    }
    const ruleIds = [
      ...report.rules.map((r) => r.id),
      ...[...byRule.keys()].filter((id) => !report.rules.some((r) => r.id === id)),
    ];
    for (const id of ruleIds) {
      const meta = report.rules.find((r) => r.id === id);
      const fs = byRule.get(id) ?? [];
      const counts = report.summary.byRule[id] ?? { pass: 0, fail: 0, error: 0 };
      const mark =
        counts.fail > 0
          ? c.red('✖')
          : counts.error > 0
            ? c.magenta('!')
            : counts.pass + counts.fail + counts.error === 0
              ? c.gray('–')
              : c.green('✔');
      const missing = meta?.missingData?.length ? `${meta.missingData.join(', ')} not collected` : '';
      const status =
        counts.pass + counts.fail + counts.error === 0
          ? c.gray(missing ? `not evaluated (${missing})` : 'not applicable')
          : [
              counts.fail ? c.red(`${counts.fail} fail`) : '',
              counts.error ? c.magenta(`${counts.error} error`) : '',
              counts.pass ? c.green(`${counts.pass} pass`) : '',
            ]
              .filter(Boolean)
              .join(', ') + (missing ? c.gray(` (incomplete: ${missing} in some regions)`) : '');
      const title = meta ? meta.title : id === 'collection-error' ? 'Collection errors' : id;
      lines.push(
        `${mark} ${c.bold(id)}  ${title}  ${meta ? sevColour[meta.severity](meta.severity) : ''}  ${status}`.replace(
          / {3,}/g,
          '  ',
        ),
      );
      for (const f of fs) {
        if (f.status === 'pass' && !ctx.verbose) continue;
        const tag =
          f.status === 'fail'
            ? f.suppression
              ? c.gray('SUPPR')
              : c.red('FAIL ')
            : f.status === 'error'
              ? c.magenta('ERROR')
              : c.green('PASS ');
        const mark =
          f.baseline === 'new' ? c.bold(' [new]') : f.baseline === 'unchanged' ? c.gray(' [in baseline]') : '';
        const severity = sevColour[f.severity](f.severity.padEnd(8));
        const e = f.exposure;
        // Reachability from the internet, after the severity it decided (unreachable: lowered one step).
        const reach = e
          ? (e.status === 'reachable' ? c.red : e.status === 'unreachable' ? c.green : c.magenta)(
              REACH_MARK[e.status],
            ) + '  '
          : '';
        lines.push(`  ${tag} ${severity} ${reach}${f.accountId}/${f.region}  ${resourceLabel(f)}${mark}`);
        lines.push(`        ${f.message}`);
        // The first path, its hops wrapped at 100 columns, or what is unknown (when the message does not say it).
        const explain = exposureToExplain(f);
        if (explain?.status === 'reachable' && explain.paths.length) {
          const [head, ...hops] = pathParts(explain.paths[0]);
          const more = explain.pathCount
            ? morePaths(explain, f.resource.id)
            : explain.paths.length > 1
              ? ` (+${explain.paths.length - 1} more)`
              : '';
          for (const l of wrapParts(`        path: ${head}${more}: `, hops, '          ', 100)) lines.push(c.gray(l));
        } else if (explain?.status === 'unknown') {
          lines.push(c.gray(`        ${exposureLine(explain)}`));
        }
        if (f.suppression) {
          const until = f.suppression.expires ? ` (until ${f.suppression.expires})` : '';
          lines.push(c.gray(`        suppressed: ${f.suppression.reason}${until}`));
        } else if (f.status === 'fail' && f.remediation.length) {
          lines.push(c.gray('        fix:'));
          for (const cmd of f.remediation) lines.push(c.gray(`          ${cmd}`));
        }
      }
    }
    if (report.suppressions) {
      const warnings = suppressionWarnings(report.suppressions.file, report.suppressions.entries);
      if (warnings.length) {
        lines.push('');
        for (const w of warnings) lines.push(c.yellow(`warning: ${w}`));
      }
    }
    if (report.baseline?.fixed.length) {
      lines.push('');
      lines.push(c.bold(`Fixed since the baseline (${report.baseline.fixed.length}):`));
      for (const f of report.baseline.fixed) {
        const severity = sevColour[f.severity](f.severity.padEnd(8));
        lines.push(`  ${c.green('FIXED')} ${severity} ${f.accountId}/${f.region}  ${f.resource.id}  ${f.ruleId}`);
      }
    }
    lines.push('');
    const s = report.summary;
    const sev = (Object.entries(s.failBySeverity) as [Severity, number][])
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    lines.push(
      c.bold('Summary: ') +
        `${c.red(`${s.fail} failed`)}${sev ? ` (${sev})` : ''}, ` +
        `${c.green(`${s.pass} passed`)}, ${c.magenta(`${s.error} errors`)}` +
        (s.suppressed ? `, ${s.suppressed} suppressed` : '') +
        (report.baseline
          ? `, ${report.baseline.new} new, ${report.baseline.unchanged} in baseline, ` +
            `${report.baseline.fixed.length} fixed`
          : '') +
        (s.incomplete ? c.magenta('  — scan incomplete') : ''),
    );
    const gate = report.gate;
    if (gate && (gate.failOn !== 'info' || s.suppressed || report.baseline) && s.fail > 0) {
      lines.push(
        gate.blocking > 0
          ? c.red(`${gate.blocking} failing finding(s) fail the build`) +
              (gate.failOn !== 'info' ? ` (--fail-on ${gate.failOn})` : '')
          : c.green(passVerdict(gateBreakdown(report.findings, gate.failOn), gate.failOn, Boolean(report.baseline))),
      );
    }
    return lines.join('\n') + '\n';
  },
};
