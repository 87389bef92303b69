/**
 * Run a command as a child process and measure wall time (process start to exit), CPU time and peak RSS.
 * Uses GNU time (`/usr/bin/time -f`) when available, else a `node --import` hook that reports the child's
 * own `process.resourceUsage()` at exit (node commands only).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type MeasureMethod = 'gnu-time' | 'rusage-hook';

export interface Measurement {
  wallMs: number;
  /** User + system CPU time of the child. */
  cpuMs: number;
  maxRssMB: number;
  exitCode: number;
  stderr: string;
  method: MeasureMethod;
}

const GNU_TIME = '/usr/bin/time';
let method: MeasureMethod | undefined;

/** GNU time if it runs and understands -f/-o; else the hook. */
export function measureMethod(): MeasureMethod {
  if (method) return method;
  method = 'rusage-hook';
  if (existsSync(GNU_TIME)) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-bench-'));
    try {
      const out = path.join(dir, 'probe');
      const r = spawnSync(GNU_TIME, ['-f', '%e %U %S %M', '-o', out, process.execPath, '-e', ''], { encoding: 'utf8' });
      if (r.status === 0 && parseGnuTime(readFileSync(out, 'utf8'))) method = 'gnu-time';
    } catch {
      /* keep the hook */
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return method;
}

function parseGnuTime(text: string): { cpuMs: number; maxRssKB: number } | undefined {
  // The last line holds our format; GNU time puts "Command exited with non-zero status N" before it.
  const last = text.trim().split('\n').at(-1) ?? '';
  const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(last.trim());
  if (!m) return undefined;
  return { cpuMs: (Number(m[2]) + Number(m[3])) * 1000, maxRssKB: Number(m[4]) };
}

/**
 * Run `node ...nodeArgs` in `cwd`, measured. stdout is discarded (benchmarks write reports to files).
 */
export function measureNode(nodeArgs: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Measurement {
  const m = measureMethod();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-bench-'));
  try {
    const out = path.join(dir, 'usage');
    let cmd: string;
    let args: string[];
    const env = { ...process.env, ...opts.env };
    if (m === 'gnu-time') {
      cmd = GNU_TIME;
      args = ['-f', '%e %U %S %M', '-o', out, process.execPath, ...nodeArgs];
    } else {
      const hook = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'rusage-hook.js')).href;
      cmd = process.execPath;
      args = ['--import', hook, ...nodeArgs];
      env.SG_AUDIT_BENCH_RUSAGE = out;
    }
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, {
      cwd: opts.cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: opts.timeoutMs,
    });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.error) throw r.error;
    let cpuMs = NaN;
    let maxRssKB = NaN;
    try {
      const text = readFileSync(out, 'utf8');
      if (m === 'gnu-time') {
        const p = parseGnuTime(text);
        if (p) ({ cpuMs, maxRssKB } = p);
      } else {
        const u = JSON.parse(text) as { maxRssKB: number; userMs: number; sysMs: number };
        cpuMs = u.userMs + u.sysMs;
        maxRssKB = u.maxRssKB;
      }
    } catch {
      /* killed before it could report: leave NaN */
    }
    return {
      wallMs,
      cpuMs,
      maxRssMB: maxRssKB / 1024,
      exitCode: r.status ?? (r.signal ? 128 : -1),
      stderr: r.stderr ?? '',
      method: m,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values: number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
