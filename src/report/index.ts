import { UsageError } from '../util/errors.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import type { Format, RenderContext, Report, Reporter } from './model.js';
import { sarifReporter } from './sarif.js';
import { tableReporter } from './table.js';

/** Every output format, explicitly listed. */
const REPORTERS: Readonly<Record<Format, Reporter>> = {
  table: tableReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  junit: junitReporter,
  markdown: markdownReporter,
};

export function reporterFor(format: string): Reporter {
  const r = Object.hasOwn(REPORTERS, format) ? REPORTERS[format as Format] : undefined;
  if (!r) throw new UsageError(`--format ${format}: expected one of ${Object.keys(REPORTERS).join(', ')}`);
  return r;
}

export function formats(): Format[] {
  return Object.keys(REPORTERS) as Format[];
}

/**
 * A reporter's output for writing: chunks when the reporter can stream them (a JSON report of ~100k
 * security groups exceeds V8's ~512 MB maximum string length), else one string. `writeFileAtomic`
 * accepts both.
 */
export function renderOutput(reporter: Reporter, report: Report, ctx: RenderContext): string | Iterable<string> {
  return reporter.renderChunks ? reporter.renderChunks(report, ctx) : reporter.render(report, ctx);
}

export interface ReportTarget {
  format: Format;
  reporter: Reporter;
  /** As given on the command line. */
  file: string;
}

/**
 * Parse repeatable `--report FORMAT=FILE` values. Checked before anything is scanned: an unknown format,
 * a missing file or the same file twice is a usage error.
 */
export function parseReportTargets(values: string[] | undefined): ReportTarget[] {
  const out: ReportTarget[] = [];
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0 || eq === v.length - 1)
      throw new UsageError(`--report ${v}: expected FORMAT=FILE, e.g. --report sarif=sg-audit.sarif`);
    const format = v.slice(0, eq).trim();
    const file = v.slice(eq + 1).trim();
    let reporter: Reporter;
    try {
      reporter = reporterFor(format);
    } catch {
      throw new UsageError(
        `--report ${v}: unknown format '${format}', expected one of ${Object.keys(REPORTERS).join(', ')}`,
      );
    }
    if (out.some((t) => t.file === file))
      throw new UsageError(`--report ${v}: ${file} is already the target of another --report`);
    out.push({ format: format as Format, reporter, file });
  }
  return out;
}
