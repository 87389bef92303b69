/**
 * Fan-out benchmark: live collection across every enabled region against the local fake AWS endpoint
 * (support/fake-aws/server.ts: the real SDK stack over HTTP on 127.0.0.1, 50 ms per call), beside a
 * bare-SDK baseline making the same read calls (support/fanout-baseline.ts, run as a process by
 * bench/fanout-baseline.ts) and beside the latency floor.
 *
 * Regimes: small (50 SGs, 100 ENIs and a few LBs/DBs per region) and large (5,000 SGs and 5,000 ENIs per
 * region); each without and with 20% throttled first attempts, the latter in both SDK retry modes.
 * `sg-audit collect --regions all` is the like-for-like comparison with the baseline (collection only);
 * `sg-audit scan --regions all` (collection + evaluation + report) is measured too, for small estates by
 * default (`--with-scan` adds it for large ones, where evaluation dominates).
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RegionSnapshot, Snapshot } from '../src/snapshot/schema.js';
import { DEFAULT_REGIONS, generateEstate } from '../support/estate/index.js';
import type { BaselineCounts } from '../support/fanout-baseline.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/server.js';
import { readReportSummary } from './eval.js';
import { measureNodeAsync, median, type Measurement } from './measure.js';
import {
  CLI,
  fmtMB,
  fmtMs,
  machineInfo,
  OUT_DIR,
  REPO_ROOT,
  table,
  writeResultsSection,
  type Machine,
} from './results.js';

export type RegimeName = 'small' | 'large';

export const REGIMES: Record<RegimeName, { sgsPerRegion: number; enisPerSg: number; target: number }> = {
  /** sg-audit within 1.2× the baseline's wall time. */
  small: { sgsPerRegion: 50, enisPerSg: 2, target: 1.2 },
  /** sg-audit within 0.7× the baseline's wall time (would need parallel parsing). */
  large: { sgsPerRegion: 5000, enisPerSg: 1, target: 0.7 },
};

/** Listed by DescribeRegions as not opted in; sg-audit and the baseline must skip them. */
export const OPTED_OUT_REGIONS = ['af-south-1', 'ap-east-1', 'me-south-1', 'il-central-1'];

export interface FanoutOptions {
  regimes: RegimeName[];
  repeat: number;
  latencyMs: number;
  throttleRate: number;
  withScan: boolean;
  seed: number;
}

type Tool = 'sg-audit collect' | 'sg-audit scan' | 'baseline';

export interface FanoutRun {
  tool: Tool;
  retryMode: 'standard' | 'adaptive';
  /** sg-audit --concurrency when not the default. */
  concurrency?: number;
  throttled: boolean;
  runs: {
    wallMs: number;
    cpuMs: number;
    maxRssMB: number;
    exitCode: number;
    throttledResponses: number;
    requests: number;
    countsOk: boolean;
    problem?: string;
  }[];
  median: { wallMs: number; cpuMs: number; maxRssMB: number };
  /** Median wall / the baseline's median wall in the same conditions (same retry mode when throttled). */
  vsBaseline?: number;
  /** Throttled runs: median wall / the same tool's unthrottled median wall. */
  vsUnthrottled?: number;
  countsOk: boolean;
}

export interface FanoutRegime {
  regime: RegimeName;
  regions: number;
  optedOut: number;
  perRegion: {
    securityGroups: number;
    networkInterfaces: number;
    loadBalancers: number;
    dbClusters: number;
    dbInstances: number;
    prefixLists: number;
  };
  totals: {
    securityGroups: number;
    networkInterfaces: number;
    loadBalancers: number;
    dbClusters: number;
    dbInstances: number;
  };
  /** Longest chain of sequential calls (STS + DescribeRegions, then the longest page chain of one region) × latency. */
  latencyFloorMs: number;
  sequentialCalls: number;
  runs: FanoutRun[];
  target: number;
  targetMet?: boolean;
}

export interface FanoutResults {
  kind: 'fanout';
  date: string;
  machine: Machine;
  latencyMs: number;
  throttleRate: number;
  repeat: number;
  regimes: FanoutRegime[];
}

const PAGE = { ec2: 1000, ec2PrefixLists: 100, elbv2: 400, rds: 100 } as const;

function chainLength(rs: RegionSnapshot): number {
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const entryPages = Math.max(1, ...rs.prefixLists.map((p) => pages(p.entries?.length ?? 0, PAGE.ec2PrefixLists)));
  return Math.max(
    pages(rs.securityGroups.length, PAGE.ec2),
    pages(rs.networkInterfaces.length, PAGE.ec2),
    pages(rs.prefixLists.length, PAGE.ec2PrefixLists) + entryPages,
    pages(rs.loadBalancers.length, PAGE.elbv2) + (rs.loadBalancers.length > 0 ? 1 : 0), // DescribeTags after the last page
    pages(rs.dbClusters.length, PAGE.rds),
    pages(rs.dbInstances.length, PAGE.rds),
  );
}

interface Expected {
  regions: number;
  securityGroups: number;
  networkInterfaces: number;
  loadBalancers: number;
  dbClusters: number;
  dbInstances: number;
}

function snapshotCounts(file: string): Expected & { errors: number } {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const sum = (f: (r: RegionSnapshot) => number) => s.regions.reduce((n, r) => n + f(r), 0);
  return {
    regions: s.regions.length,
    securityGroups: sum((r) => r.securityGroups.length),
    networkInterfaces: sum((r) => r.networkInterfaces.length),
    loadBalancers: sum((r) => r.loadBalancers.length),
    dbClusters: sum((r) => r.dbClusters.length),
    dbInstances: sum((r) => r.dbInstances.length),
    errors: s.errors.length + sum((r) => r.errors.length),
  };
}

function diff(expected: Expected, got: Partial<Expected>): string | undefined {
  const bad = (Object.keys(expected) as (keyof Expected)[]).filter(
    (k) => got[k] !== undefined && got[k] !== expected[k],
  );
  return bad.length ? bad.map((k) => `${k} ${got[k]} (expected ${expected[k]})`).join(', ') : undefined;
}

export async function runFanout(
  opts: FanoutOptions,
  log: (s: string) => void = (s) => process.stderr.write(s),
): Promise<FanoutResults> {
  const machine = machineInfo();
  const work = path.join(OUT_DIR, 'fanout');
  mkdirSync(work, { recursive: true });
  const home = path.join(work, 'home'); // no ~/.aws of the machine running the benchmark
  mkdirSync(home, { recursive: true });
  const regimes: FanoutRegime[] = [];
  const regions = DEFAULT_REGIONS.length;

  for (const name of opts.regimes) {
    const spec = REGIMES[name];
    const estate = generateEstate({
      sgs: spec.sgsPerRegion * regions,
      regions,
      seed: opts.seed,
      enisPerSg: spec.enisPerSg,
    });
    const byRegion = new Map(estate.regions.map((r) => [r.region, r]));
    const accountId = estate.regions[0].accountId;
    const first = estate.regions[0];
    const sum = (f: (r: RegionSnapshot) => number) => estate.regions.reduce((n, r) => n + f(r), 0);
    const expected: Expected = {
      regions,
      securityGroups: sum((r) => r.securityGroups.length),
      networkInterfaces: sum((r) => r.networkInterfaces.length),
      loadBalancers: sum((r) => r.loadBalancers.length),
      dbClusters: sum((r) => r.dbClusters.length),
      dbInstances: sum((r) => r.dbInstances.length),
    };
    const sequentialCalls = 2 + Math.max(...estate.regions.map(chainLength));
    const regime: FanoutRegime = {
      regime: name,
      regions,
      optedOut: OPTED_OUT_REGIONS.length,
      perRegion: {
        securityGroups: first.securityGroups.length,
        networkInterfaces: first.networkInterfaces.length,
        loadBalancers: first.loadBalancers.length,
        dbClusters: first.dbClusters.length,
        dbInstances: first.dbInstances.length,
        prefixLists: first.prefixLists.length,
      },
      totals: {
        securityGroups: expected.securityGroups,
        networkInterfaces: expected.networkInterfaces,
        loadBalancers: expected.loadBalancers,
        dbClusters: expected.dbClusters,
        dbInstances: expected.dbInstances,
      },
      latencyFloorMs: sequentialCalls * opts.latencyMs,
      sequentialCalls,
      runs: [],
      target: spec.target,
    };
    log(
      `fanout ${name}: ${expected.securityGroups} SGs, ${expected.networkInterfaces} ENIs in ${regions} regions (+${OPTED_OUT_REGIONS.length} not opted in); latency floor ${regime.latencyFloorMs} ms\n`,
    );

    for (const throttled of [false, true]) {
      const aws: FakeAws = await startFakeAws({
        estates: byRegion,
        accountId,
        regions: [...DEFAULT_REGIONS],
        optedOutRegions: OPTED_OUT_REGIONS,
        latencyMs: opts.latencyMs,
        throttleRate: throttled ? opts.throttleRate : 0,
        seed: opts.seed,
      });
      const env: NodeJS.ProcessEnv = {
        HOME: home,
        AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ACCESS_KEY_ID: 'AKIASGAUDITBENCH0001',
        AWS_SECRET_ACCESS_KEY: 'sgAuditBenchSecret/NotARealKey+0123456789',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: aws.url,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        NO_COLOR: '1',
      };
      const out = path.join(os.tmpdir(), `sg-audit-bench-fanout-${process.pid}.json`);
      const variants: { tool: Tool; retryMode: 'standard' | 'adaptive'; concurrency?: number; args: string[] }[] = [];
      // Unthrottled: the default retry mode (standard); throttled: both modes.
      const modes: ('standard' | 'adaptive')[] = throttled ? ['standard', 'adaptive'] : ['standard'];
      for (const mode of modes) {
        variants.push({
          tool: 'sg-audit collect',
          retryMode: mode,
          args: [CLI, 'collect', '--regions', 'all', '-q', '--retry-mode', mode, '-o', out],
        });
      }
      // sg-audit's call limit (--concurrency, default 32) against the baseline's unlimited fan-out.
      if (!throttled) {
        variants.push({
          tool: 'sg-audit collect',
          retryMode: 'standard',
          concurrency: 256,
          args: [CLI, 'collect', '--regions', 'all', '-q', '--concurrency', '256', '-o', out],
        });
      }
      if (!throttled && (name === 'small' || opts.withScan)) {
        variants.push({
          tool: 'sg-audit scan',
          retryMode: 'standard',
          args: [CLI, 'scan', '--regions', 'all', '-q', '--format', 'json', '--output', out],
        });
      }
      for (const mode of throttled ? (['standard', 'adaptive'] as const) : (['standard'] as const)) {
        variants.push({
          tool: 'baseline',
          retryMode: mode,
          args: [path.join(REPO_ROOT, 'dist', 'bench', 'fanout-baseline.js'), '--retry-mode', mode, '--out', out],
        });
      }
      // Warm the fake endpoint's rendered pages so its one-off work is not charged to the first run.
      await measureNodeAsync(variants[variants.length - 1].args, { cwd: work, env });

      for (const v of variants) {
        const fr: FanoutRun = {
          tool: v.tool,
          retryMode: v.retryMode,
          ...(v.concurrency ? { concurrency: v.concurrency } : {}),
          throttled,
          runs: [],
          median: { wallMs: NaN, cpuMs: NaN, maxRssMB: NaN },
          countsOk: true,
        };
        for (let i = 0; i < opts.repeat; i++) {
          rmSync(out, { force: true });
          const before = { throttled: aws.stats.throttled, requests: aws.stats.requests };
          const m: Measurement = await measureNodeAsync(v.args, { cwd: work, env, timeoutMs: 10 * 60_000 });
          let problem: string | undefined;
          const completed = v.tool === 'sg-audit scan' ? m.exitCode === 0 || m.exitCode === 1 : m.exitCode === 0;
          if (!completed) problem = `exit ${m.exitCode}: ${m.stderr.trim().split('\n')[0] ?? ''}`;
          else if (v.tool === 'baseline')
            problem = diff(expected, JSON.parse(readFileSync(out, 'utf8')) as BaselineCounts);
          else if (v.tool === 'sg-audit collect') {
            const c = snapshotCounts(out);
            problem = diff(expected, c) ?? (c.errors ? `${c.errors} collection errors` : undefined);
          } else {
            const s = readReportSummary(out);
            problem = s ? (s.error ? `${s.error} error findings` : undefined) : 'no report summary';
          }
          fr.runs.push({
            wallMs: Math.round(m.wallMs),
            cpuMs: Math.round(m.cpuMs),
            maxRssMB: Math.round(m.maxRssMB),
            exitCode: m.exitCode,
            throttledResponses: aws.stats.throttled - before.throttled,
            requests: aws.stats.requests - before.requests,
            countsOk: problem === undefined,
            ...(problem ? { problem } : {}),
          });
          if (problem) fr.countsOk = false;
          log(
            `  ${name}${throttled ? ' throttled' : ''} ${v.tool}${v.concurrency ? ` --concurrency ${v.concurrency}` : ''} (${v.retryMode}) ${i + 1}/${opts.repeat}: ${fmtMs(m.wallMs)}, CPU ${fmtMs(m.cpuMs)}, ` +
              `${fmtMB(m.maxRssMB)}, ${aws.stats.requests - before.requests} requests, ${aws.stats.throttled - before.throttled} throttled${problem ? ` — ${problem}` : ''}\n`,
          );
        }
        rmSync(out, { force: true });
        fr.median = {
          wallMs: Math.round(median(fr.runs.map((r) => r.wallMs))),
          cpuMs: Math.round(median(fr.runs.map((r) => r.cpuMs))),
          maxRssMB: Math.round(median(fr.runs.map((r) => r.maxRssMB))),
        };
        regime.runs.push(fr);
      }
      await aws.close();
    }

    const find = (tool: Tool, throttled: boolean, mode?: string) =>
      regime.runs.find(
        (r) => r.tool === tool && r.throttled === throttled && !r.concurrency && (!mode || r.retryMode === mode),
      );
    for (const r of regime.runs) {
      const base = r.throttled ? find('baseline', true, r.retryMode) : find('baseline', false);
      if (base && r.tool !== 'baseline') r.vsBaseline = Math.round((r.median.wallMs / base.median.wallMs) * 100) / 100;
      if (r.throttled) {
        const calm = find(r.tool, false);
        if (calm) r.vsUnthrottled = Math.round((r.median.wallMs / calm.median.wallMs) * 100) / 100;
      }
    }
    const collect = find('sg-audit collect', false);
    regime.targetMet = collect?.vsBaseline !== undefined ? collect.vsBaseline <= spec.target : undefined;
    regimes.push(regime);
  }
  return {
    kind: 'fanout',
    date: new Date().toISOString(),
    machine,
    latencyMs: opts.latencyMs,
    throttleRate: opts.throttleRate,
    repeat: opts.repeat,
    regimes,
  };
}

export function formatFanout(r: FanoutResults): string {
  const out = [
    `Fan-out benchmark — ${r.machine.cpus} CPU ${r.machine.cpuModel}, Node ${r.machine.node}; fake AWS endpoint, ${r.latencyMs} ms per call; median of ${r.repeat}`,
    '',
  ];
  for (const g of r.regimes) {
    out.push(
      `${g.regime}: ${g.perRegion.securityGroups} SGs, ${g.perRegion.networkInterfaces} ENIs, ${g.perRegion.loadBalancers} LBs, ` +
        `${g.perRegion.dbClusters} DB clusters, ${g.perRegion.dbInstances} DB instances per region × ${g.regions} regions (+${g.optedOut} not opted in); ` +
        `latency floor ${g.sequentialCalls} sequential calls × ${r.latencyMs} ms = ${fmtMs(g.latencyFloorMs)}`,
      '',
    );
    const rows = g.runs.map((x) => [
      `${x.tool}${x.concurrency ? ` --concurrency ${x.concurrency}` : ''}${x.throttled ? ` (${Math.round(r.throttleRate * 100)}% throttled)` : ''}`,
      x.retryMode,
      fmtMs(x.median.wallMs),
      fmtMs(x.median.cpuMs),
      fmtMB(x.median.maxRssMB),
      x.vsBaseline !== undefined ? `${x.vsBaseline}×` : '',
      x.vsUnthrottled !== undefined ? `${x.vsUnthrottled}×` : '',
      `${Math.round(median(x.runs.map((y) => y.requests)))}`,
      `${Math.round(median(x.runs.map((y) => y.throttledResponses)))}`,
      x.countsOk ? 'ok' : 'WRONG',
    ]);
    out.push(
      table(
        ['run', 'retry', 'wall', 'CPU', 'peak RSS', 'vs baseline', 'vs unthrottled', 'requests', 'throttled', 'counts'],
        rows,
      ),
    );
    const collect = g.runs.find((x) => x.tool === 'sg-audit collect' && !x.throttled && !x.concurrency);
    out.push(
      `target: sg-audit collect ≤ ${g.target}× baseline: ${g.targetMet === undefined ? 'not measured' : g.targetMet ? 'met' : 'MISSED'}` +
        (collect?.vsBaseline !== undefined ? ` (${collect.vsBaseline}×)` : '') +
        `; throttled ≤ 2× unthrottled: ${g.runs
          .filter((x) => x.throttled && x.tool !== 'baseline')
          .map((x) => `${x.retryMode} ${(x.vsUnthrottled ?? Infinity) <= 2 ? 'met' : 'MISSED'}`)
          .join(', ')}` +
        `; counts: ${g.runs.every((x) => x.countsOk) ? 'all correct' : 'WRONG in some runs'}\n`,
    );
  }
  return out.join('\n');
}

export function saveFanout(r: FanoutResults): string {
  return writeResultsSection('fanout', r);
}
