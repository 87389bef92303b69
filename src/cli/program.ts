/**
 * Thin commander layer: map the flags onto one core call per command (src/core: runScan, runCollect,
 * runRules, runPaths) and print what it returns. Errors carry exit codes; only bin.ts sets process.exitCode.
 */
import { Command, CommanderError, Option } from 'commander';
import { runCollect } from '../core/collect.js';
import { runPaths } from '../core/paths.js';
import { runRules } from '../core/rules.js';
import { runScan } from '../core/scan.js';
import { formats } from '../report/index.js';
import { PATHS_FORMATS } from '../report/paths.js';
import { FAIL_ON, type FailOn } from '../report/model.js';
import { RULES_FORMATS, type RulesFormat } from '../report/rules-doc.js';
import { EXIT, SgAuditError, UsageError } from '../util/errors.js';
import { toolVersion } from '../util/version.js';
import { colorEnabled, type CliIO } from './io.js';
import { addLiveOptions, collectFromOptions, liveFlagsGiven, type LiveCliOptions } from './live.js';

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

interface PathsCliOptions {
  input: string[];
  config?: string;
  from?: string;
  to?: string;
  port?: string;
  maxHops?: string;
  format: string;
  output?: string;
  account?: string;
  region?: string;
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
    .option(
      '-i, --input <file>',
      'sg-audit snapshot or `aws ec2 describe-security-groups` JSON (repeatable)',
      collectRepeat,
    )
    .option('-c, --config <file>', 'settings file (default: sg-audit.config.yaml/.json in the working directory)')
    .addOption(new Option('-f, --format <format>', `output format: ${formats().join(', ')}`).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option(
      '--account <id>',
      "account id (12 digits) for raw aws-cli input (default: each group's SecurityGroupArn, else its OwnerId)",
    )
    .option('--region <name>', "region for raw aws-cli input (default: each group's SecurityGroupArn, else unknown)")
    .option('--rules <ids>', 'only run these rules (ids or globs, comma-separated, repeatable)', collectRepeat)
    .option('--skip-rules <ids>', 'skip these rules (ids or globs, comma-separated, repeatable)', collectRepeat)
    .option('-v, --verbose', 'list passing findings one by one in every format (default: counted only)')
    .option('--save-snapshot <file>', 'also save the collected snapshot (live scans)')
    .option(
      '--report <format=file>',
      `also write a report to a file, e.g. sarif=sg-audit.sarif (repeatable; formats: ${formats().join(', ')})`,
      collectRepeat,
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 only for failing findings of this severity or worse (default: any; none: never)',
      ).choices(FAIL_ON),
    )
    .option(
      '--suppressions <file>',
      'accepted findings (default: .sg-audit-suppressions.yaml in the working directory, if present)',
    )
    .option('--no-suppressions', 'ignore the default suppressions file')
    .option('--baseline <file>', 'JSON report of an earlier run: only findings not failing there fail the build');
  addLiveOptions(scan);
  scan.action(async (opts: ScanCliOptions, cmd: Command) => {
    const { exitCode, warnings } = await runScan(
      {
        inputs: opts.input,
        rawDefaults: { accountId: opts.account, region: opts.region },
        liveFlags: liveFlagsGiven(cmd),
        configPath: opts.config,
        rules: opts.rules,
        skipRules: opts.skipRules,
        format: opts.format,
        output: opts.output,
        reports: opts.report,
        verbose: opts.verbose,
        saveSnapshot: opts.saveSnapshot,
        failOn: opts.failOn,
        suppressions: opts.suppressions,
        baseline: opts.baseline,
        color: colorEnabled(io),
      },
      { cwd: io.cwd, stdout: io.stdout, collectLive: (needs) => collectFromOptions(opts, { needs, io }) },
    );
    for (const w of warnings) io.stderr.write(`sg-audit: warning: ${w}\n`);
    result.exitCode = exitCode;
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
    const { exitCode, errors } = await runCollect(
      {
        output: opts.output,
        configPath: opts.config,
        rules: opts.rules,
        skipRules: opts.skipRules,
        roleArnsFile: opts.roleArnsFile,
      },
      { cwd: io.cwd, collectLive: (needs) => collectFromOptions(opts, { needs, io }) },
    );
    for (const line of errors) io.stderr.write(`sg-audit: ${line}\n`);
    result.exitCode = exitCode;
  });

  program
    .command('paths')
    .description(
      'list what the internet reaches (interface, protocol, ports) and by which path, or who reaches whom inside ' +
        'the estate (--from), from snapshots',
    )
    .requiredOption(
      '-i, --input <file>',
      'sg-audit snapshot (v2 holds the network data) or `aws ec2 describe-security-groups` JSON (repeatable)',
      collectRepeat,
    )
    .option('-c, --config <file>', 'settings file, for the tier tags (default: sg-audit.config.yaml/.json)')
    .option(
      '--from <id|tier>',
      "where paths start: 'internet' (the default), or an ENI, instance, load balancer (name or ARN), DB " +
        'instance or cluster, security group id (its interfaces), or a tier (lb, web, app, data): lateral paths',
    )
    .option(
      '--to <id|tier>',
      'only paths to (from the internet: or through): an ENI, instance, load balancer (name or ARN), DB instance ' +
        'or cluster, security group id, or a tier (lb, web, app, data)',
    )
    .option('--port <n>', 'only paths whose ports include this one (0-65535)')
    .option(
      '--max-hops <k>',
      'interface-to-interface steps a path may take, 1-5 (default: 1, direct connections; 2+ adds paths onward ' +
        'from what is reached: internet → bastion → database)',
    )
    .addOption(new Option('-f, --format <format>', `output format: ${PATHS_FORMATS.join(', ')}`).default('table'))
    .option('-o, --output <file>', 'write the listing to a file instead of stdout')
    .option('--account <id>', 'account id (12 digits) for raw aws-cli input')
    .option('--region <name>', 'region for raw aws-cli input')
    .addHelpText(
      'after',
      '\nExit codes: 0 listed (every selected interface decided), 2 bad flags or input, 3 listed but some\n' +
        'interfaces undecided (network data not collected: reachability unknown, never "not reachable").\n\n' +
        'Lateral paths (--from other than internet, or --max-hops 2+) need a security group to let the packet\n' +
        'out of the initiator, one to admit it into the target, a route (local, an active peering both ways, or a\n' +
        'transit gateway: taken on trust and said so) and, between subnets, both network ACLs each way.\n' +
        'There a tier names the interfaces the tier rules read as that tier (own tag, attached resource, else\n' +
        'groups), and few pairs without a path are told what blocks them (e.g. an egress rule).\n\n' +
        'Examples:\n  sg-audit paths --input snapshot.json --to web --port 443 --format markdown -o paths.md\n' +
        '  sg-audit paths --input snapshot.json --from web --to data\n' +
        '  sg-audit paths --input snapshot.json --from internet --to data --max-hops 2\n',
    )
    .action((opts: PathsCliOptions) => {
      result.exitCode = runPaths(
        {
          inputs: opts.input,
          rawDefaults: { accountId: opts.account, region: opts.region },
          configPath: opts.config,
          from: opts.from,
          to: opts.to,
          port: opts.port,
          maxHops: opts.maxHops,
          format: opts.format,
          output: opts.output,
          color: colorEnabled(io),
        },
        io,
      ).exitCode;
    });

  program
    .command('rules')
    .description('list the rules, or show rules in full: metadata and every option (name, type, default, meaning)')
    .argument('[ids...]', 'rule ids or globs to show in full')
    .addOption(
      new Option('-f, --format <format>', 'table, markdown (the README rules section) or json')
        .choices(RULES_FORMATS)
        .default('table'),
    )
    .action((ids: string[], opts: { format: RulesFormat }) => {
      result.exitCode = runRules({ ids, format: opts.format }, io).exitCode;
    });

  return program;
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
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return EXIT.OK;
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
  const text = message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return `sg-audit: ${text}${/\(Did you mean /.test(text) ? '' : ' (run with --help for usage)'}`;
}

function prefixLines(msg: string): string {
  return msg
    .split('\n')
    .map((l) => `sg-audit: ${l}`)
    .join('\n');
}

export { UsageError };
