/**
 * Benchmark entry (`npm run bench`):
 *
 *   node dist/bench/run.js [eval] [--sizes 1000,10000,100000] [--repeat 3] [--seed 1] [--regions 17]
 *                                 [--variants with,without[,baseline]] [--baseline-cli OTHER/dist/src/cli/bin.js]
 *   node dist/bench/run.js fanout [--regimes small,large] [--repeat 3] [--latency 50] [--throttle 0.2] [--with-scan]
 *   node dist/bench/run.js phases [--sgs 100000] [--seed 1] [--regions 17] [--variant with|without]
 *
 * `eval` (the default) measures the real CLI process per estate size and writes bench/out/results.json;
 * `phases` breaks one evaluation down in-process (load, graph, each rule, report, JSON rendering).
 * Each benchmark lives in its own module and owns one section of the results file.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureEstate, formatEval, notCollectedFile, runEval, saveEval, type VariantName } from './eval.js';
import type { RegimeName } from './fanout.js';
import { runPhases } from './phases.js';
import { fmtBytes, OUT_DIR, table, writeResultsSection } from './results.js';

const USAGE = `usage: node dist/bench/run.js [eval|fanout|phases] [options]
  eval     the CLI process per estate size: wall time, CPU time, peak RSS (default)
           --sizes 1000,10000,100000  --repeat 3  --seed 1  --regions 17
           --variants with,without  internet exposure computed (with) or not (without; network not collected)
           --baseline-cli FILE      another build's bin.js, run on the with input (variant baseline)
           --skip-rules a,b         rules left out of with and without (e.g. rules newer than the figure; phases too)
  fanout   live collection of all regions against the local fake AWS endpoint vs a bare-SDK baseline
           --regimes small,large  --repeat 3  --latency 50  --throttle 0.2  --with-scan
  phases   one evaluation in-process, time and memory per phase and per rule
           --sgs 100000  --seed 1  --regions 17
           --list-passes  list passing findings in the report too (as --verbose)
           --variant without  on the network-not-collected input, internet-exposure rule skipped
`;

function ints(name: string, v: string): number[] {
  const out = v.split(',').map((x) => Number(x.trim()));
  if (out.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--${name}: expected positive integers, got '${v}'`);
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sizes: { type: 'string', default: '1000,10000,100000' },
      sgs: { type: 'string', default: '100000' },
      repeat: { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
      regions: { type: 'string', default: '17' },
      'list-passes': { type: 'boolean' },
      variants: { type: 'string', default: 'with,without' },
      variant: { type: 'string', default: 'with' },
      'baseline-cli': { type: 'string' },
      'skip-rules': { type: 'string' },
      regimes: { type: 'string', default: 'small,large' },
      latency: { type: 'string', default: '50' },
      throttle: { type: 'string', default: '0.2' },
      'with-scan': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const mode = positionals[0] ?? 'eval';
  const seed = ints('seed', values.seed)[0];
  const regions = ints('regions', values.regions)[0];
  switch (mode) {
    case 'eval': {
      const variants = values.variants.split(',').map((x) => x.trim()) as VariantName[];
      const badVariant = variants.find((x) => !['with', 'without', 'baseline'].includes(x));
      if (badVariant) throw new Error(`--variants: unknown variant '${badVariant}' (with, without, baseline)`);
      const baselineCli = values['baseline-cli'];
      if (baselineCli && !variants.includes('baseline')) variants.push('baseline');
      const r = runEval({
        sizes: ints('sizes', values.sizes),
        repeat: ints('repeat', values.repeat)[0],
        seed,
        regions,
        variants,
        baselineCli,
        skipRules: values['skip-rules']
          ?.split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      });
      process.stdout.write('\n' + formatEval(r));
      process.stdout.write(`results: ${path.relative(process.cwd(), saveEval(r))}\n`);
      return r.sizes.every((s) => s.ok) ? 0 : 1;
    }
    case 'phases': {
      const sgs = ints('sgs', values.sgs)[0];
      mkdirSync(OUT_DIR, { recursive: true });
      mkdirSync(path.join(OUT_DIR, 'cwd'), { recursive: true });
      const { file } = ensureEstate(sgs, regions, seed, (s) => process.stderr.write(s));
      const listPasses = values['list-passes'] === true;
      const variant = values.variant;
      if (variant !== 'with' && variant !== 'without')
        throw new Error(`--variant: expected with or without, got '${variant}'`);
      const r = runPhases(variant === 'with' ? file : notCollectedFile(file), path.join(OUT_DIR, 'cwd'), {
        listPasses,
        out: path.join(OUT_DIR, `phases-report-${sgs}.json`),
        skipRules: [
          ...(variant === 'with' ? [] : ['internet-exposure']),
          ...(values['skip-rules']?.split(',').map((x) => x.trim()) ?? []),
        ],
      });
      const rows = r.phases.map((p) => [
        p.phase,
        `${p.ms} ms`,
        `${p.cpuMs} ms`,
        p.findings === undefined ? '' : `${p.findings}`,
        p.fail === undefined ? '' : `${p.fail}`,
        `${p.heapMB} MB`,
        `${p.rssMB} MB`,
      ]);
      const total = r.phases.reduce((n, p) => n + p.ms, 0);
      const totalCpu = r.phases.reduce((n, p) => n + p.cpuMs, 0);
      process.stdout.write(
        `\nPhases for ${sgs} SGs, ${variant} exposure (in-process, as \`scan --format json --output\`` +
          `${listPasses ? ' --verbose' : ''})\n\n`,
      );
      process.stdout.write(table(['phase', 'wall', 'CPU', 'findings', 'fail', 'heap after', 'RSS after'], rows));
      process.stdout.write(
        `total ${total} ms wall, ${totalCpu} ms CPU; peak RSS ${r.maxRssMB} MB; JSON report ${typeof r.reportBytes === 'number' ? fmtBytes(r.reportBytes) : r.reportBytes}\n`,
      );
      writeResultsSection(`phases-${sgs}${listPasses ? '-list-passes' : ''}${variant === 'with' ? '' : '-without'}`, {
        sgs,
        regions,
        seed,
        listPasses,
        variant,
        date: new Date().toISOString(),
        ...r,
      });
      return 0;
    }
    case 'fanout': {
      // Loaded on demand: it pulls in the fake AWS endpoint (support/fake-aws) and its estate.
      const { formatFanout, REGIMES, runFanout, saveFanout } = await import('./fanout.js');
      const regimes = values.regimes.split(',').map((x) => x.trim()) as RegimeName[];
      const bad = regimes.find((x) => !(x in REGIMES));
      if (bad) throw new Error(`--regimes: unknown regime '${bad}' (small, large)`);
      const throttleRate = Number(values.throttle);
      if (!(throttleRate >= 0 && throttleRate < 1))
        throw new Error(`--throttle: expected a rate in [0, 1), got '${values.throttle}'`);
      const r = await runFanout({
        regimes,
        repeat: ints('repeat', values.repeat)[0],
        latencyMs: ints('latency', values.latency)[0],
        throttleRate,
        withScan: values['with-scan'] === true,
        seed,
      });
      process.stdout.write('\n' + formatFanout(r));
      process.stdout.write(`results: ${path.relative(process.cwd(), saveFanout(r))}\n`);
      return r.regimes.every((g) => g.runs.every((x) => x.countsOk)) ? 0 : 1;
    }
    default:
      process.stderr.write(`run: unknown benchmark '${mode}'\n${USAGE}`);
      return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`run: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
