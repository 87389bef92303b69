/**
 * Evaluation benchmark: snapshot load → graph → all registered rules → JSON report, as the real CLI
 * process (`sg-audit scan --input FILE --format json --output FILE`), per estate size. Wall time, CPU
 * time and peak RSS of each run; the median of `repeat` runs is reported.
 *
 * Each size runs in variants, interleaved run by run (so a slow spell of the machine hits them alike):
 * - `with`: the default rules on the estate with its network data (internet exposure computed);
 * - `without`: the same estate with the network kinds not listed as collected (the data still read and
 *   validated) and `--skip-rules internet-exposure`: exposure is unknown, not computed from the network;
 * - `baseline` (with `--baseline-cli`): another build's CLI (e.g. the commit before exposure) on the `with` input
 *   (less the snapshot kinds newer than that build, `KINDS_AFTER_BASELINE`).
 * What exposure adds is `with` over `without`.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Floor } from './floor.js';
import { GENERATOR_VERSION, type EstateStats } from '../support/estate/index.js';
import { added, exposureTarget, type Added, type ExposureTarget } from '../support/exposure-target.js';
import { baselineInputFile } from '../support/baseline-input.js';
import { measureNode, median, type Measurement } from './measure.js';
import {
  CLI,
  fmtBytes,
  fmtMB,
  fmtMs,
  machineInfo,
  OUT_DIR,
  REPO_ROOT,
  table,
  writeResultsSection,
  type Machine,
} from './results.js';

export type VariantName = 'with' | 'without' | 'baseline';

export interface EvalOptions {
  sizes: number[];
  repeat: number;
  seed: number;
  regions: number;
  /** Default `with`, `without`; `baseline` needs `baselineCli`. */
  variants?: VariantName[];
  /** bin.js of another build, run on the `with` input as the `baseline` variant. */
  baselineCli?: string;
  /**
   * Rules left out of `with` and `without` (`--skip-rules`), e.g. rules newer than the figure measured (issue #13's
   * tier-path rules when measuring what #12's exposure adds); the baseline build runs its own defaults.
   */
  skipRules?: string[];
}

export interface EvalVariant {
  name: VariantName;
  command: string;
  runs: EvalRun[];
  median: { wallMs: number; cpuMs: number; maxRssMB: number };
  report?: EvalSize['report'];
  ok: boolean;
}

/** Performance targets (wall time, peak RSS, 10k→100k wall-time growth), checked on the largest size (100k SGs). */
export const EVAL_TARGETS = { size: 100_000, wallMs: 3000, maxRssMB: 1536, growthRatio: 12 } as const;

export interface EvalRun {
  wallMs: number;
  cpuMs: number;
  maxRssMB: number;
  exitCode: number;
  error?: string;
}

export interface EvalSize {
  sgs: number;
  regions: number;
  seed: number;
  snapshotFile: string;
  snapshotBytes: number;
  estate?: EstateStats;
  runs: EvalRun[];
  median: { wallMs: number; cpuMs: number; maxRssMB: number };
  /** From the last successful run's report. */
  report?: { bytes: number; findings: number; fail: number; pass: number; error: number };
  /** Parse the snapshot + write the report with nothing in between (bench/floor.ts), median of `repeat`. */
  floor?: Floor;
  ok: boolean;
  /** Every variant measured, `with` first (its figures are also the fields above). */
  variants: EvalVariant[];
  /** (with − without) / without, median wall time and CPU time, in %. */
  exposureAdded?: Added;
  /** (with − baseline) / baseline, when the baseline variant ran. */
  exposureAddedVsBaseline?: Added;
}

export interface EvalResults {
  kind: 'eval';
  date: string;
  machine: Machine;
  method: Measurement['method'];
  command: string;
  repeat: number;
  rules: string[];
  sizes: EvalSize[];
  /** median wall(100k) / median wall(10k): the growth factor for 10× the estate. */
  growthRatio?: number;
  /** The same growth per variant. */
  growthByVariant: Partial<Record<VariantName, number>>;
  targets: typeof EVAL_TARGETS & { met: { wall?: boolean; rss?: boolean; growth?: boolean } };
  /** Against the baseline when it ran (exposure not in the build at all), else against `without`. */
  exposureTarget: ExposureTarget;
}

export function estateFile(sgs: number, regions: number, seed: number): string {
  return path.join(OUT_DIR, `estate-${sgs}-r${regions}-s${seed}-g${GENERATOR_VERSION}.json`);
}

/** The same estate with the network kinds not collected (bench/generate.ts `--network-not-collected`). */
export function notCollectedFile(file: string): string {
  return file.replace(/\.json$/, '.network-not-collected.json');
}

/** Generate the estate in a child process (keeps this process small) unless it is cached. */
export function ensureEstate(
  sgs: number,
  regions: number,
  seed: number,
  log: (s: string) => void,
): { file: string; stats?: EstateStats } {
  const file = estateFile(sgs, regions, seed);
  const statsFile = `${file}.stats`;
  if (!existsSync(file) || !existsSync(statsFile) || !existsSync(notCollectedFile(file))) {
    log(`generating ${path.relative(REPO_ROOT, file)} …\n`);
    const r = spawnSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'dist', 'bench', 'generate.js'),
        '--sgs',
        String(sgs),
        '--regions',
        String(regions),
        '--seed',
        String(seed),
        '-o',
        file,
        '--stats',
        statsFile,
        '--network-not-collected',
        notCollectedFile(file),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (r.status !== 0) throw new Error(`generating ${file} failed (exit ${r.status})`);
  }
  let stats: EstateStats | undefined;
  try {
    stats = JSON.parse(readFileSync(statsFile, 'utf8')) as EstateStats;
  } catch {
    stats = undefined;
  }
  return { file, stats };
}

/** Rule ids the CLI runs by default (enabled by default), from `sg-audit rules --format json`. */
export function registeredRules(cwd: string): { id: string; defaultEnabled: boolean }[] {
  const r = spawnSync(process.execPath, [CLI, 'rules', '--format', 'json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`sg-audit rules failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { id: string; defaultEnabled?: boolean }[]).map((x) => ({
    id: x.id,
    defaultEnabled: x.defaultEnabled !== false,
  }));
}

/**
 * The report's summary without parsing the whole (possibly > 1 GB) file: the JSON report lists
 * `summary` before `findings`, so the text before `"findings"` closed with `}` is a valid document.
 */
export function readReportSummary(file: string): EvalSize['report'] {
  const bytes = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(bytes, 8 * 1024 * 1024));
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString('utf8');
    const at = head.indexOf(',\n  "findings": ');
    if (at < 0) return undefined;
    const doc = JSON.parse(head.slice(0, at) + '\n}') as {
      summary: { total: number; fail: number; pass: number; error: number };
    };
    return {
      bytes,
      findings: doc.summary.total,
      fail: doc.summary.fail,
      pass: doc.summary.pass,
      error: doc.summary.error,
    };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export function runEval(opts: EvalOptions, log: (s: string) => void = (s) => process.stderr.write(s)): EvalResults {
  mkdirSync(OUT_DIR, { recursive: true });
  // An empty working directory: no sg-audit.config.yaml or suppressions file is picked up.
  const cwd = path.join(OUT_DIR, 'cwd');
  mkdirSync(cwd, { recursive: true });
  const machine = machineInfo();
  const rules = registeredRules(cwd);
  const enabled = rules.filter((r) => r.defaultEnabled).map((r) => r.id);
  const names = opts.variants ?? ['with', 'without'];
  if (names[0] !== 'with') throw new Error(`variants: 'with' comes first (got ${names.join(',')})`);
  if (names.includes('baseline') && !opts.baselineCli) throw new Error('variant baseline needs --baseline-cli');
  // Before the rule exists, `without` differs from `with` by its input only.
  const skip = enabled.includes('internet-exposure') ? ['--skip-rules', 'internet-exposure'] : [];
  log(
    `eval: ${enabled.length} rules enabled by default (${rules.length} registered); variants ${names.join(', ')}; ` +
      `${opts.repeat} runs per size and variant` +
      (opts.skipRules?.length ? `; skipped in with and without: ${opts.skipRules.join(', ')}` : '') +
      '\n',
  );
  const reportFile = path.join(os.tmpdir(), `sg-audit-bench-report-${process.pid}.json`);
  const withReportFile = `${reportFile}.with`;
  const sizes: EvalSize[] = [];
  let method: Measurement['method'] = 'gnu-time';
  for (const sgs of opts.sizes) {
    const { file, stats } = ensureEstate(sgs, opts.regions, opts.seed, log);
    const plan = names.map((name) => {
      const cli = name === 'baseline' ? path.resolve(opts.baselineCli!) : CLI;
      const input = name === 'without' ? notCollectedFile(file) : name === 'baseline' ? baselineInputFile(file) : file;
      const args = [cli, 'scan', '--input', input, '--format', 'json', '--output', reportFile];
      if (name === 'without') args.push(...skip);
      if (name !== 'baseline' && opts.skipRules?.length) args.push('--skip-rules', opts.skipRules.join(','));
      return { name, args, runs: [] as EvalRun[], report: undefined as EvalSize['report'] };
    });
    for (let i = 0; i < opts.repeat; i++) {
      for (const v of plan) {
        rmSync(reportFile, { force: true });
        const m = measureNode(v.args, { cwd, timeoutMs: 15 * 60_000 });
        method = m.method;
        // 0: all passed, 1: failing findings, 3: incomplete — completed scans, when they wrote the report
        // (an internal error also exits 3).
        const completed = (m.exitCode === 0 || m.exitCode === 1 || m.exitCode === 3) && existsSync(reportFile);
        const run: EvalRun = {
          wallMs: round(m.wallMs),
          cpuMs: round(m.cpuMs),
          maxRssMB: round(m.maxRssMB),
          exitCode: m.exitCode,
        };
        if (!completed) run.error = m.stderr.trim().split('\n')[0] || `exit ${m.exitCode}`;
        v.runs.push(run);
        if (completed) v.report = readReportSummary(reportFile) ?? v.report;
        // The `with` report is kept for the I/O floor, which writes one of its size.
        if (completed && v === plan[0]) renameSync(reportFile, withReportFile);
        log(
          `  ${sgs} SGs ${v.name} run ${i + 1}/${opts.repeat}: ${fmtMs(m.wallMs)}, CPU ${fmtMs(m.cpuMs)}, ` +
            `peak RSS ${fmtMB(m.maxRssMB)}, exit ${m.exitCode}${run.error ? ` (${run.error})` : ''}\n`,
        );
      }
    }
    // The floor reads the `with` input and writes the `with` run's report.
    const floor = existsSync(withReportFile) ? measureFloor(file, withReportFile, opts.repeat, cwd) : undefined;
    if (floor) log(`  ${sgs} SGs I/O floor: parse ${fmtMs(floor.parseMs)} + write report ${fmtMs(floor.renderMs)}\n`);
    rmSync(reportFile, { force: true });
    rmSync(withReportFile, { force: true });
    const variants: EvalVariant[] = plan.map((v) => {
      const good = v.runs.filter((r) => !r.error);
      return {
        name: v.name,
        command: ['node', ...v.args.map((a) => (a === reportFile ? 'REPORT' : path.relative(REPO_ROOT, a) || a))].join(
          ' ',
        ),
        runs: v.runs,
        median: {
          wallMs: round(median(good.map((r) => r.wallMs))),
          cpuMs: round(median(good.map((r) => r.cpuMs))),
          maxRssMB: round(median(good.map((r) => r.maxRssMB))),
        },
        report: v.report,
        ok: v.runs.every((r) => !r.error),
      };
    });
    const w = variants[0];
    const wo = variants.find((v) => v.name === 'without');
    const base = variants.find((v) => v.name === 'baseline');
    const addedOver = (o: EvalVariant | undefined) => (o && o.ok && w.ok ? added(w.median, o.median) : undefined);
    sizes.push({
      sgs,
      regions: opts.regions,
      seed: opts.seed,
      snapshotFile: path.relative(REPO_ROOT, file),
      snapshotBytes: statSync(file).size,
      estate: stats,
      runs: w.runs,
      median: w.median,
      report: w.report,
      floor,
      ok: w.ok,
      variants,
      exposureAdded: addedOver(wo),
      exposureAddedVsBaseline: addedOver(base),
    });
  }
  const growthOf = (name: VariantName): number | undefined => {
    const at = (n: number) => sizes.find((s) => s.sgs === n)?.variants.find((v) => v.name === name && v.ok);
    const big = at(EVAL_TARGETS.size);
    const mid = at(EVAL_TARGETS.size / 10);
    return big && mid ? Math.round((big.median.wallMs / mid.median.wallMs) * 100) / 100 : undefined;
  };
  const growthByVariant: Partial<Record<VariantName, number>> = {};
  for (const name of names) {
    const g = growthOf(name);
    if (g !== undefined) growthByVariant[name] = g;
  }
  const growthRatio = growthByVariant.with;
  const largest = sizes.find((s) => s.sgs === EVAL_TARGETS.size);
  return {
    kind: 'eval',
    date: new Date().toISOString(),
    machine,
    method,
    command: 'node dist/src/cli/bin.js scan --input FILE --format json --output FILE',
    repeat: opts.repeat,
    rules: enabled.filter((id) => !opts.skipRules?.includes(id)),
    sizes,
    growthRatio,
    growthByVariant,
    targets: {
      ...EVAL_TARGETS,
      met: {
        wall: largest ? largest.ok && largest.median.wallMs <= EVAL_TARGETS.wallMs : undefined,
        rss: largest ? largest.ok && largest.median.maxRssMB <= EVAL_TARGETS.maxRssMB : undefined,
        growth: growthRatio === undefined ? (largest ? false : undefined) : growthRatio <= EVAL_TARGETS.growthRatio,
      },
    },
    exposureTarget: exposureTarget(sizes),
  };
}

/** The I/O floor in its own process, `repeat` times; the run with the median total. */
function measureFloor(snapshotFile: string, reportFile: string, repeat: number, cwd: string): Floor | undefined {
  const floors: Floor[] = [];
  for (let i = 0; i < repeat; i++) {
    const r = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'dist', 'bench', 'floor.js'), snapshotFile, reportFile, `${reportFile}.floor`],
      {
        cwd,
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) return undefined;
    floors.push(JSON.parse(r.stdout) as Floor);
  }
  floors.sort((a, b) => a.totalMs - b.totalMs);
  return floors[Math.floor((floors.length - 1) / 2)];
}

function round(n: number): number {
  return Number.isNaN(n) ? NaN : Math.round(n);
}

export function formatEval(r: EvalResults): string {
  const rows = r.sizes.map((s) => [
    s.sgs.toLocaleString('en-US'),
    s.estate ? s.estate.permissions.toLocaleString('en-US') : '—',
    fmtBytes(s.snapshotBytes),
    s.report ? `${s.report.findings.toLocaleString('en-US')} (${s.report.fail.toLocaleString('en-US')} fail)` : '—',
    s.report ? fmtBytes(s.report.bytes) : '—',
    s.ok ? fmtMs(s.median.wallMs) : 'FAILED',
    s.runs.map((x) => (x.error ? 'err' : fmtMs(x.wallMs))).join(' / '),
    fmtMs(s.median.cpuMs),
    fmtMB(s.median.maxRssMB),
    s.floor ? `${fmtMs(s.floor.totalMs)} (${fmtMs(s.floor.parseMs)} + ${fmtMs(s.floor.renderMs)})` : '—',
  ]);
  const out = [
    `Evaluation benchmark — ${r.machine.cpus} CPU ${r.machine.cpuModel}, ${r.machine.memoryGB} GB, Node ${r.machine.node}; ${r.rules.length} rules; median of ${r.repeat} (${r.method})`,
    '',
    table(
      [
        'SGs',
        'permissions',
        'snapshot',
        'findings',
        'report',
        'wall (median)',
        'runs',
        'CPU',
        'peak RSS',
        'I/O floor (parse + write)',
      ],
      rows,
    ),
    'I/O floor: a bare process that only reads + JSON.parses the snapshot and JSON.stringifies + writes the same report (bench/floor.ts).',
    '',
  ];
  for (const s of r.sizes.filter((x) => !x.ok))
    out.push(`${s.sgs} SGs failed: ${s.runs.find((x) => x.error)?.error}\n`);
  const t = r.targets;
  const mark = (v: boolean | undefined) => (v === undefined ? 'not measured' : v ? 'met' : 'MISSED');
  out.push(
    `growth wall(100k)/wall(10k): ${r.growthRatio ?? '—'} (target ≤ ${t.growthRatio}: ${mark(t.met.growth)})\n` +
      `100k SGs: wall target ≤ ${t.wallMs / 1000} s: ${mark(t.met.wall)}; peak RSS target ≤ 1.5 GB: ${mark(t.met.rss)}\n`,
  );
  if (r.sizes.some((s) => s.variants.length > 1)) out.push(formatVariants(r, mark));
  return out.join('\n');
}

/** The variants side by side: what internet exposure adds per size, and the growth of each. */
function formatVariants(r: EvalResults, mark: (v: boolean | undefined) => string): string {
  const names = r.sizes[0].variants.map((v) => v.name);
  const withBaseline = names.includes('baseline');
  const cell = (s: EvalSize, name: VariantName, f: (v: EvalVariant) => string) => {
    const v = s.variants.find((x) => x.name === name);
    return v ? (v.ok ? f(v) : 'FAILED') : '—';
  };
  const rows = r.sizes.map((s) => [
    s.sgs.toLocaleString('en-US'),
    ...names.map((n) =>
      cell(s, n, (v) => `${fmtMs(v.median.wallMs)} (${v.runs.map((x) => fmtMs(x.wallMs)).join(', ')})`),
    ),
    ...names.map((n) => cell(s, n, (v) => fmtMs(v.median.cpuMs))),
    ...names.map((n) => cell(s, n, (v) => fmtMB(v.median.maxRssMB))),
    s.exposureAdded ? `${s.exposureAdded.wallPct}%` : '—',
    s.exposureAdded ? `${s.exposureAdded.cpuPct}%` : '—',
    ...(withBaseline
      ? [
          s.exposureAddedVsBaseline ? `${s.exposureAddedVsBaseline.wallPct}%` : '—',
          s.exposureAddedVsBaseline ? `${s.exposureAddedVsBaseline.cpuPct}%` : '—',
        ]
      : []),
  ]);
  const e = r.exposureTarget;
  const growth = names.map((n) => `${n} ${r.growthByVariant[n] ?? '—'}`).join(', ');
  return [
    'Internet exposure: with = default rules on the estate with its network data; without = network kinds not ' +
      'collected (data still read) and --skip-rules internet-exposure' +
      (names.includes('baseline') ? '; baseline = --baseline-cli on the with input' : ''),
    '',
    table(
      [
        'SGs',
        ...names.map((n) => `wall ${n} (runs)`),
        ...names.map((n) => `CPU ${n}`),
        ...names.map((n) => `RSS ${n}`),
        'added wall',
        'added CPU',
        ...(withBaseline ? ['added wall vs baseline', 'added CPU vs baseline'] : []),
      ],
      rows,
    ),
    `growth wall(100k)/wall(10k): ${growth}`,
    `exposure adds ${e.addedPct ?? '—'}% wall at ${e.size / 1000}k SGs${e.against ? ` (vs ${e.against})` : ''} ` +
      `(target ≤ ${e.maxAddedPct}%: ${mark(e.met)})`,
    '',
  ].join('\n');
}

export function saveEval(r: EvalResults): string {
  return writeResultsSection('eval', r);
}
