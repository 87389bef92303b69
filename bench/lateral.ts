/**
 * What lateral reachability (issue #13, src/exposure/lateral.ts) costs on a generated estate, in-process: the model's
 * indexes (`analyseLateral`), then the tier rules' typical calls — `inbound` for every data-tier interface, and
 * `search('internet', dataTier, {maxSteps: 2})` — each timed (wall and CPU), after the graph and the internet
 * exposure model (which the scan computes anyway) are built untimed.
 *
 *   node dist/bench/lateral.js FILE [FILE…]     (estates from dist/bench/generate.js)
 */
import { pathToFileURL } from 'node:url';
import { defaultSettings } from '../src/config/schema.js';
import { loadInputs } from '../src/core/scan.js';
import { analyseExposure } from '../src/exposure/internet.js';
import { analyseLateral } from '../src/exposure/lateral.js';
import { buildGraph } from '../src/graph/build.js';

export interface LateralTiming {
  file: string;
  interfaces: number;
  dataInterfaces: number;
  phases: { phase: string; ms: number; cpuMs: number; result?: number }[];
  totalMs: number;
  totalCpuMs: number;
}

export function measureLateral(file: string): LateralTiming {
  const graph = buildGraph(loadInputs([file]), defaultSettings());
  analyseExposure(graph);
  const phases: LateralTiming['phases'] = [];
  const lap = <T>(phase: string, f: () => T, count?: (t: T) => number): T => {
    const t = performance.now();
    const c = process.cpuUsage();
    const out = f();
    const cpu = process.cpuUsage(c);
    phases.push({
      phase,
      ms: Math.round(performance.now() - t),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      ...(count ? { result: count(out) } : {}),
    });
    return out;
  };
  const lateral = lap('analyseLateral + interfacesOfTier(data)', () => {
    const l = analyseLateral(graph);
    l.interfacesOfTier('data');
    return l;
  });
  const data = lateral.interfacesOfTier('data').map((r) => r.eniId);
  lap(
    'inbound(every data-tier interface)',
    () => data.reduce((n, id) => n + lateral.inbound(id).paths.length, 0),
    (n) => n,
  );
  lap(
    "search('internet', data tier, {maxSteps: 2})",
    () => lateral.search('internet', data, { maxSteps: 2 }),
    (r) => r.paths.length,
  );
  const interfaces = graph.scopes.reduce((n, s) => n + s.networkInterfaces.length, 0);
  return {
    file,
    interfaces,
    dataInterfaces: data.length,
    phases,
    totalMs: phases.reduce((n, p) => n + p.ms, 0),
    totalCpuMs: phases.reduce((n, p) => n + p.cpuMs, 0),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const file of process.argv.slice(2)) process.stdout.write(JSON.stringify(measureLateral(file), null, 1) + '\n');
}
