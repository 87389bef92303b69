import { Chalk } from 'chalk';
import type { Severity } from '../config/schema.js';
import type { Finding } from '../engine/types.js';
import type { Report, Reporter } from './model.js';

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
        `  ${scope.securityGroups} security groups · ${scope.accounts.length} account(s) · ${scope.regions.length} region(s)`,
    );
    lines.push('');

    const byRule = new Map<string, Finding[]>();
    for (const f of report.findings) {
      const list = byRule.get(f.ruleId);
      if (list) list.push(f);
      else byRule.set(f.ruleId, [f]);
    }
    const ruleIds = [...report.rules.map((r) => r.id), ...[...byRule.keys()].filter((id) => !report.rules.some((r) => r.id === id))];
    for (const id of ruleIds) {
      const meta = report.rules.find((r) => r.id === id);
      const fs = byRule.get(id) ?? [];
      const counts = report.summary.byRule[id] ?? { pass: 0, fail: 0, error: 0 };
      const mark = counts.fail > 0 ? c.red('✖') : counts.error > 0 ? c.magenta('!') : fs.length === 0 ? c.gray('–') : c.green('✔');
      const status =
        fs.length === 0
          ? c.gray('not applicable')
          : [
              counts.fail ? c.red(`${counts.fail} fail`) : '',
              counts.error ? c.magenta(`${counts.error} error`) : '',
              counts.pass ? c.green(`${counts.pass} pass`) : '',
            ]
              .filter(Boolean)
              .join(', ');
      const title = meta ? meta.title : id === 'collection-error' ? 'Collection errors' : id;
      lines.push(`${mark} ${c.bold(id)}  ${title}  ${meta ? sevColour[meta.severity](meta.severity) : ''}  ${status}`.replace(/ {3,}/g, '  '));
      for (const f of fs) {
        if (f.status === 'pass' && !ctx.verbose) continue;
        const tag = f.status === 'fail' ? c.red('FAIL ') : f.status === 'error' ? c.magenta('ERROR') : c.green('PASS ');
        lines.push(`  ${tag} ${sevColour[f.severity](f.severity.padEnd(8))} ${f.accountId}/${f.region}  ${resourceLabel(f)}`);
        lines.push(`        ${f.message}`);
        if (f.status === 'fail' && f.remediation.length) {
          lines.push(c.gray('        fix:'));
          for (const cmd of f.remediation) lines.push(c.gray(`          ${cmd}`));
        }
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
        `${c.red(`${s.fail} failed`)}${sev ? ` (${sev})` : ''}, ${c.green(`${s.pass} passed`)}, ${c.magenta(`${s.error} errors`)}` +
        (s.incomplete ? c.magenta('  — scan incomplete') : ''),
    );
    return lines.join('\n') + '\n';
  },
};
