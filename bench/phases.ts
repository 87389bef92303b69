/**
 * In-process breakdown of one evaluation: time and memory per phase (load, graph, internet exposure, each
 * rule, report, JSON rendering). The eval benchmark measures the real CLI process; this explains where its time goes.
 *
 *   node dist/bench/run.js phases --sgs 100000 [--seed 1] [--regions 17]
 */
import { statSync } from 'node:fs';
import { defaultRegistry } from '../rules/index.js';
import { loadInputs, prepare } from '../src/core/scan.js';
import { evaluateRules } from '../src/engine/evaluate.js';
import type { Finding } from '../src/engine/types.js';
import { analyseExposure } from '../src/exposure/internet.js';
import { buildGraph } from '../src/graph/build.js';
import { buildReport } from '../src/report/build.js';
import { renderJsonChunks } from '../src/report/json.js';
import { writeFileAtomic } from '../src/util/fs.js';
import { toolVersion } from '../src/util/version.js';

export interface PhaseTiming {
  phase: string;
  /** Wall time. */
  ms: number;
  /** CPU time of this process (user + system; includes GC threads), steadier than wall on a busy machine. */
  cpuMs: number;
  heapMB: number;
  rssMB: number;
  /** Findings the phase produced (rules; for internet exposure: the reachable paths). */
  findings?: number;
  fail?: number;
}

const mb = (n: number) => Math.round(n / 1e6);

/**
 * Mirrors `sg-audit scan --input FILE --format json --output OUT`: passes counted, not listed (the CLI's
 * default without `--verbose`; `listPasses` lists them as `--verbose` does), report streamed to `out`.
 */
export function runPhases(
  file: string,
  cwd: string,
  opts: { listPasses?: boolean; out: string; skipRules?: string[] },
): { phases: PhaseTiming[]; maxRssMB: number; reportBytes: number | string } {
  const phases: PhaseTiming[] = [];
  let t = performance.now();
  let cpu = process.cpuUsage();
  const lap = (phase: string, extra: Partial<PhaseTiming> = {}) => {
    const now = performance.now();
    const c = process.cpuUsage(cpu);
    const m = process.memoryUsage();
    phases.push({
      phase,
      ms: Math.round(now - t),
      cpuMs: Math.round((c.user + c.system) / 1000),
      heapMB: mb(m.heapUsed),
      rssMB: mb(m.rss),
      ...extra,
    });
    t = performance.now();
    cpu = process.cpuUsage();
  };

  const registry = defaultRegistry();
  const skip = (opts.skipRules ?? []).filter((id) => registry.has(id));
  const prepared = prepare(registry, { cwd, skipRules: skip.length > 0 ? skip : undefined });
  lap('prepare (settings, rule selection)');
  const snapshot = loadInputs([file]);
  lap('load (read, JSON.parse, validate)');
  const graph = buildGraph(snapshot, prepared.settings);
  lap('graph');
  // The rules compute it lazily on first use (cached per graph); here on its own, so its time is not the
  // first exposure-reading rule's.
  const exposure = analyseExposure(graph);
  lap('internet exposure (analyseExposure)', {
    findings: exposure.paths.length,
  });
  const findings: Finding[] = evaluateRules(graph, []).findings; // collection errors recorded in the snapshot
  const unlistedPasses: Record<string, number> = {};
  for (const rule of prepared.rules) {
    const r = evaluateRules(graph, [rule], { keepPasses: !!opts.listPasses });
    const local = r.findings.filter((f) => f.ruleId === rule.meta.id);
    for (const f of local) findings.push(f);
    const passes = r.unlistedPasses[rule.meta.id] ?? 0;
    if (passes) unlistedPasses[rule.meta.id] = passes;
    lap(`rule ${rule.meta.id}`, {
      findings: local.length + passes,
      fail: local.filter((f) => f.status === 'fail').length,
    });
  }
  const report = buildReport({
    graph,
    rules: prepared.rules,
    findings,
    unlistedPasses,
    version: toolVersion(),
    snapshotCreatedAt: snapshot.createdAt,
  });
  lap('report (sort, fingerprint, summary)', { findings: report.findings.length, fail: report.summary.fail });
  let reportBytes: number | string;
  try {
    writeFileAtomic(opts.out, renderJsonChunks(report));
    reportBytes = statSync(opts.out).size;
  } catch (err) {
    reportBytes = `failed: ${(err as Error).message}`;
  }
  lap('render + write json');
  return { phases, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), reportBytes };
}
