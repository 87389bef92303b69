/**
 * Summarise a V8 `.cpuprofile` (from `node --cpu-prof`): top functions by self time and by total time.
 *
 *   node dist/bench/cpuprofile.js FILE.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  name: string;
  selfMs: number;
  totalMs: number;
}

export function summariseProfile(profile: CpuProfile): { totalMs: number; functions: FunctionTime[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Time per sample: the delta to the next sample.
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
  }
  const label = (n: ProfileNode) => {
    const f = n.callFrame;
    const file = f.url ? `${path.basename(f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'} ${file}`.trim();
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    self.set(label(n), (self.get(label(n)) ?? 0) + us);
    // Attribute to every distinct function on the stack once (recursion counted once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + us);
    }
  }
  const functions = [...self.keys(), ...total.keys()]
    .filter((v, i, a) => a.indexOf(v) === i)
    .map((name) => ({ name, selfMs: (self.get(name) ?? 0) / 1000, totalMs: (total.get(name) ?? 0) / 1000 }));
  return { totalMs: (profile.endTime - profile.startTime) / 1000, functions };
}

function cli(argv: string[]): number {
  process.stdout.on('error', () => process.exit(0)); // `| head` closed the pipe
  const file = argv.find((a) => !a.startsWith('--'));
  const topIdx = argv.indexOf('--top');
  const top = topIdx >= 0 ? Number(argv[topIdx + 1]) : 25;
  if (!file) {
    process.stderr.write('usage: node dist/bench/cpuprofile.js FILE.cpuprofile [--top N]\n');
    return 2;
  }
  const { totalMs, functions } = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const fmt = (f: FunctionTime) => `${f.selfMs.toFixed(0).padStart(7)} ${f.totalMs.toFixed(0).padStart(7)}  ${f.name}`;
  process.stdout.write(`profile ${file}: ${totalMs.toFixed(0)} ms\n\n   self   total  (ms) — by self time\n`);
  for (const f of [...functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) process.stdout.write(fmt(f) + '\n');
  process.stdout.write(`\n   self   total  (ms) — by total time\n`);
  for (const f of [...functions].sort((a, b) => b.totalMs - a.totalMs).slice(0, top))
    process.stdout.write(fmt(f) + '\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = cli(process.argv.slice(2));
}
