/**
 * Run a command as a child process and measure wall time (process start to exit), CPU time and peak RSS.
 * Uses GNU time (`/usr/bin/time -f`) when available, else a `node --import` hook that reports the child's
 * own `process.resourceUsage()` at exit (node commands only).
 */
import { spawn, spawnSync } from 'node:child_process';
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

export interface MeasureOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const GNU_TIME = '/usr/bin/time';
const FORMAT = '%e %U %S %M';
let method: MeasureMethod | undefined;

/** GNU time if it runs and understands -f/-o; else the hook. */
export function measureMethod(): MeasureMethod {
  if (method) return method;
  method = 'rusage-hook';
  if (existsSync(GNU_TIME)) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-bench-'));
    try {
      const out = path.join(dir, 'probe');
      const r = spawnSync(GNU_TIME, ['-f', FORMAT, '-o', out, process.execPath, '-e', ''], { encoding: 'utf8' });
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

interface Prepared {
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  dir: string;
  usageFile: string;
  method: MeasureMethod;
}

function prepare(nodeArgs: string[], opts: MeasureOptions): Prepared {
  const m = measureMethod();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-bench-'));
  const usageFile = path.join(dir, 'usage');
  const env = { ...process.env, ...opts.env };
  if (m === 'gnu-time') {
    return {
      cmd: GNU_TIME,
      args: ['-f', FORMAT, '-o', usageFile, process.execPath, ...nodeArgs],
      env,
      dir,
      usageFile,
      method: m,
    };
  }
  const hook = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'rusage-hook.js')).href;
  env.SG_AUDIT_BENCH_RUSAGE = usageFile;
  return { cmd: process.execPath, args: ['--import', hook, ...nodeArgs], env, dir, usageFile, method: m };
}

function finish(p: Prepared, wallMs: number, exitCode: number, stderr: string): Measurement {
  let cpuMs = NaN;
  let maxRssKB = NaN;
  try {
    const text = readFileSync(p.usageFile, 'utf8');
    if (p.method === 'gnu-time') {
      const u = parseGnuTime(text);
      if (u) ({ cpuMs, maxRssKB } = u);
    } else {
      const u = JSON.parse(text) as { maxRssKB: number; userMs: number; sysMs: number };
      cpuMs = u.userMs + u.sysMs;
      maxRssKB = u.maxRssKB;
    }
  } catch {
    /* killed before it could report: leave NaN */
  } finally {
    rmSync(p.dir, { recursive: true, force: true });
  }
  return { wallMs, cpuMs, maxRssMB: maxRssKB / 1024, exitCode, stderr, method: p.method };
}

/** Run `node ...nodeArgs` in `cwd`, measured; blocks this process. stdout is discarded. */
export function measureNode(nodeArgs: string[], opts: MeasureOptions): Measurement {
  const p = prepare(nodeArgs, opts);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(p.cmd, p.args, {
    cwd: opts.cwd,
    env: p.env,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: opts.timeoutMs,
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error && !r.signal) {
    rmSync(p.dir, { recursive: true, force: true });
    throw r.error;
  }
  return finish(p, wallMs, r.status ?? 128, r.stderr ?? '');
}

/**
 * The same without blocking: for benchmarks whose server (the fake AWS endpoint) runs in this process.
 */
export function measureNodeAsync(nodeArgs: string[], opts: MeasureOptions): Promise<Measurement> {
  const p = prepare(nodeArgs, opts);
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(p.cmd, p.args, { cwd: opts.cwd, env: p.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 1 << 20) stderr += d;
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      rmSync(p.dir, { recursive: true, force: true });
      reject(err);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve(finish(p, Number(process.hrtime.bigint() - t0) / 1e6, code ?? 128, stderr));
    });
  });
}

export function median(values: number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
