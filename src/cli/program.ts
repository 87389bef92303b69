/**
 * Thin commander layer: parse options, make one core call, write the output. Errors carry exit codes;
 * only bin.ts sets process.exitCode.
 */
import { Command, CommanderError, Option } from 'commander';
import path from 'node:path';
import { defaultRegistry } from '../../rules/index.js';
import { exitCodeFor, evaluateForOutput, loadInputs, prepare, withoutListedPasses } from '../core/scan.js';
import { reporterFor, formats, parseReportTargets, renderOutput } from '../report/index.js';
import { loadBaseline } from '../gate/baseline.js';
import { FAIL_ON, type FailOn } from '../report/model.js';
import { loadSuppressions, suppressionWarnings } from '../gate/suppressions.js';
import { rulesCommandOutput, RULES_FORMATS } from '../report/rules-doc.js';
import { serializeSnapshot } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/schema.js';
import { EXIT, SgAuditError, UsageError } from '../util/errors.js';
import { toolVersion } from '../util/version.js';
import { writeFileAtomic } from '../util/fs.js';
import { colorEnabled, type CliIO } from './io.js';
import { addLiveOptions, checkModeFlags, collectFromOptions, type LiveCliOptions } from './live.js';
import { checkOutputs } from './outputs.js';

const collectRepeat = (v: string, prev: string[] = []) => [...prev, v];

interface ScanCliOptions extends LiveCliOptions {
  input?: string[];
  config?: string;
  format: string;
  output?: string;
  account?: string;
  region?: string;
  rules?: string[];
  skipRules?: string[];
  verbose?: boolean;
  saveSnapshot?: string;
  debug?: boolean;
  report?: string[];
  failOn?: FailOn;
  /** A file, or `false` from --no-suppressions. */
  suppressions?: string | false;
  baseline?: string;
}

export function buildProgram(io: CliIO, result: { exitCode: number }): Command {
  const program = new Command('sg-audit')
    .description('Audit AWS security groups for web/app/data tier posture and least privilege')
    .version(toolVersion(), '-V, --version')
    .option('--debug', 'print stack traces for errors')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Option-parser errors read as ours do: one line, `sg-audit: ` instead of commander's `error: `.
      outputError: (s, write) => write(`${parserErrorLine(s)}\n`),
    })
    .exitOverride();

  const scan = program
    .command('scan')
    .description('scan a live estate (default) or saved snapshots (--input) and report findings')
    .option('-i, --input <file>', 'sg-audit snapshot or `aws ec2 describe-security-groups` JSON (repeatable)', collectRepeat)
    .option('-c, --config <file>', 'settings file (default: sg-audit.config.yaml/.json in the working directory)')
    .addOption(new Option('-f, --format <format>', `output format: ${formats().join(', ')}`).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--account <id>', 'account id (12 digits) for raw aws-cli input (default: each group\'s SecurityGroupArn, else its OwnerId)')
    .option('--region <name>', 'region for raw aws-cli input (default: each group\'s SecurityGroupArn, else unknown)')
    .option('--rules <ids>', 'only run these rules (ids or globs, comma-separated, repeatable)', collectRepeat)
    .option('--skip-rules <ids>', 'skip these rules (ids or globs, comma-separated, repeatable)', collectRepeat)
    .option('-v, --verbose', 'list passing findings one by one in every format (default: counted only)')
    .option('--save-snapshot <file>', 'also save the collected snapshot (live scans)')
    .option('--report <format=file>', `also write a report to a file, e.g. sarif=sg-audit.sarif (repeatable; formats: ${formats().join(', ')})`, collectRepeat)
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 only for failing findings of this severity or worse (default: any; none: never)').choices(FAIL_ON),
    )
    .option('--suppressions <file>', 'accepted findings (default: .sg-audit-suppressions.yaml in the working directory, if present)')
    .option('--no-suppressions', 'ignore the default suppressions file')
    .option('--baseline <file>', 'JSON report of an earlier run: only findings not failing there fail the build');
  addLiveOptions(scan);
  scan.action(async (opts: ScanCliOptions, cmd: Command) => {
    const registry = defaultRegistry();
    const reporter = reporterFor(opts.format);
    const targets = parseReportTargets(opts.report);
    const inputs = (opts.input ?? []).map((f) => path.resolve(io.cwd, f));
    checkModeFlags(cmd, inputs.length > 0);
    const prepared = prepare(registry, {
      cwd: io.cwd,
      configPath: opts.config,
      rules: opts.rules,
      skipRules: opts.skipRules,
    });
    // Everything that can be wrong with the input is checked before any AWS call.
    const suppressions = loadSuppressions({ file: opts.suppressions, cwd: io.cwd });
    const baseline = opts.baseline ? loadBaseline(opts.baseline, io.cwd) : undefined;
    checkOutputs(
      [
        ...(opts.output ? [{ label: `-o ${opts.output}`, file: opts.output }] : []),
        ...targets.map((t) => ({ label: `--report ${t.format}=${t.file}`, file: t.file })),
        ...(opts.saveSnapshot ? [{ label: `--save-snapshot ${opts.saveSnapshot}`, file: opts.saveSnapshot }] : []),
      ],
      [
        ...(opts.input ?? []).map((file) => ({ label: `--input ${file}`, file })),
        ...(opts.config ? [{ label: `--config ${opts.config}`, file: opts.config }] : []),
        ...(typeof opts.suppressions === 'string' ? [{ label: `--suppressions ${opts.suppressions}`, file: opts.suppressions }] : []),
      ],
      io.cwd,
    );
    let snapshot: Snapshot | undefined;
    if (inputs.length > 0) {
      snapshot = loadInputs(inputs, { accountId: opts.account, region: opts.region });
    } else {
      snapshot = await collectFromOptions(opts, { needs: prepared.needs, io });
    }
    // Passes are always counted; they are listed one by one with --verbose, and for JUnit, where every
    // (rule, resource) is a test case. JUnit's passes stay out of the other formats (issue #10).
    const formatsOut = [opts.format, ...targets.map((t) => t.format)];
    const junit = formatsOut.includes('junit');
    const { report: full, topology } = evaluateForOutput(snapshot, prepared, {
      suppressions,
      baseline,
      failOn: opts.failOn,
      keepPasses: Boolean(opts.verbose) || junit,
      topology: formatsOut.includes('markdown'),
    });
    const listed = opts.verbose ? full : withoutListedPasses(full);
    const reportFor = (format: string) => (format === 'junit' ? full : listed);
    if (opts.saveSnapshot) writeFileAtomic(path.resolve(io.cwd, opts.saveSnapshot), serializeSnapshot(snapshot));
    // From here on only the report is needed: letting the snapshot and graph go (~700 MB at 100k groups)
    // keeps the peak memory and the collector's work down while the outputs render (issue #6).
    snapshot = undefined;
    // Outputs render while they are written (a 100k-SG JSON report exceeds V8's longest string), each
    // into a temp file renamed into place only when complete.
    const out = renderOutput(reporter, reportFor(opts.format), { color: !opts.output && colorEnabled(io), verbose: opts.verbose, topology });
    for (const t of targets) {
      writeFileAtomic(path.resolve(io.cwd, t.file), renderOutput(t.reporter, reportFor(t.format), { color: false, verbose: opts.verbose, topology }));
    }
    if (opts.output) writeFileAtomic(path.resolve(io.cwd, opts.output), out);
    else if (typeof out === 'string') io.stdout.write(out);
    else for (const chunk of out) io.stdout.write(chunk);
    if (full.suppressions) {
      for (const w of suppressionWarnings(full.suppressions.file, full.suppressions.entries)) io.stderr.write(`sg-audit: warning: ${w}\n`);
    }
    result.exitCode = exitCodeFor(full);
  });

  const collect = program
    .command('collect')
    .description('collect the live estate into a snapshot file (read-only AWS calls)')
    .requiredOption('-o, --output <file>', 'snapshot file to write (atomically)')
    .option('-c, --config <file>', 'settings file (decides which rules run, hence which APIs are called)')
    .option('--rules <ids>', 'collect only what these rules need', collectRepeat)
    .option('--skip-rules <ids>', 'skip these rules', collectRepeat);
  addLiveOptions(collect);
  collect.action(async (opts: ScanCliOptions & { output: string }) => {
    // No rule left (`--skip-rules '*'`) still collects the security groups: nothing is evaluated here.
    const prepared = prepare(defaultRegistry(), {
      cwd: io.cwd,
      configPath: opts.config,
      rules: opts.rules,
      skipRules: opts.skipRules,
      allowNoRules: true,
    });
    checkOutputs(
      [{ label: `-o ${opts.output}`, file: opts.output }],
      [
        ...(opts.config ? [{ label: `--config ${opts.config}`, file: opts.config }] : []),
        ...(opts.roleArnsFile ? [{ label: `--role-arns-file ${opts.roleArnsFile}`, file: opts.roleArnsFile }] : []),
      ],
      io.cwd,
    );
    const snapshot = await collectFromOptions(opts, { needs: prepared.needs, io });
    writeFileAtomic(path.resolve(io.cwd, opts.output), serializeSnapshot(snapshot));
    // Exit 3 says the snapshot is incomplete; stderr says where and why, one line per error, as the
    // scan report lists them.
    const lines = collectionErrorLines(snapshot);
    for (const line of lines) io.stderr.write(`sg-audit: ${line}\n`);
    result.exitCode = lines.length > 0 ? EXIT.INCOMPLETE : EXIT.OK;
  });

  program
    .command('rules')
    .description('list the rules, or show rules in full: metadata and every option (name, type, default, meaning)')
    .argument('[ids...]', 'rule ids or globs to show in full')
    .addOption(new Option('-f, --format <format>', 'table, markdown (the README rules section) or json').choices(RULES_FORMATS).default('table'))
    .action((ids: string[], opts: { format: (typeof RULES_FORMATS)[number] }) => {
      io.stdout.write(rulesCommandOutput(defaultRegistry().rules, ids, opts.format));
      result.exitCode = EXIT.OK;
    });

  return program;
}

/** `collection error: account/region: api: code: message`, account-level errors first (region `*`). */
export function collectionErrorLines(snapshot: Snapshot): string[] {
  const line = (scope: string, e: { api: string; code: string; message: string }) =>
    `collection error: ${scope}: ${e.api}: ${e.code}: ${e.message.replace(/\s+/g, ' ').trim()}`;
  return [
    ...snapshot.errors.map((e) => line(`${e.accountId}/${e.region ?? '*'}`, e)),
    ...snapshot.regions.flatMap((r) => r.errors.map((e) => line(`${r.accountId}/${r.region}`, e))),
  ];
}

/**
 * What an internal error (a bug, not bad input) prints: what failed, the version, how to report it;
 * `--debug` adds the stack. Exit code 4 (EXIT.INTERNAL), distinct from 3 (incomplete scan).
 */
export function internalErrorMessage(err: unknown, debug: boolean): string {
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const lines = [`sg-audit: internal error (a bug in sg-audit ${toolVersion()}): ${what.replace(/\s+/g, ' ').trim()}`];
  if (debug && err instanceof Error && err.stack) {
    lines.push(err.stack, 'sg-audit: please report it with this output');
  } else {
    lines.push('sg-audit: please report it with the output of the same command run with --debug');
  }
  return lines.join('\n') + '\n';
}

/** Run the CLI; returns the exit code. Never throws. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const result = { exitCode: EXIT.OK as number };
  const program = buildProgram(io, result);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; commander already printed its message.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
      return EXIT.USAGE;
    }
    if (err instanceof SgAuditError) {
      io.stderr.write(prefixLines(err.message) + '\n');
      if (debug && err.stack) io.stderr.write(err.stack + '\n');
      return err.exitCode;
    }
    io.stderr.write(internalErrorMessage(err, debug));
    return EXIT.INTERNAL;
  }
}

/** `error: unknown option '--x'\n(Did you mean --y?)` → `sg-audit: unknown option '--x' (Did you mean --y?)`. */
export function parserErrorLine(message: string): string {
  const text = message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim();
  return `sg-audit: ${text}${/\(Did you mean /.test(text) ? '' : ' (run with --help for usage)'}`;
}

function prefixLines(msg: string): string {
  return msg
    .split('\n')
    .map((l) => `sg-audit: ${l}`)
    .join('\n');
}

export { UsageError };
