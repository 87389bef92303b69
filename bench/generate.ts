/**
 * Writes a synthetic estate (support/estate: deterministic from the seed) to a snapshot file, for the
 * benchmarks and for trying sg-audit on a large estate.
 *
 *   node dist/bench/generate.js --sgs 100000 --regions 17 --seed 1 -o estate.json [--network-not-collected FILE]
 *
 * `--network-not-collected FILE` also writes the same estate with the network kinds left out of every region's
 * `collected` (the data stays, so reading it costs the same): internet exposure is then unknown, not computed
 * from the network — the eval benchmark's "without exposure" input.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { serializeSnapshot } from '../src/snapshot/load.js';
import {
  estateStats,
  generateEstate,
  withoutNetworkCollected,
  type EstateOptions,
  type EstateStats,
} from '../support/estate/index.js';

/** Generate and write a snapshot file (and, with `notCollectedFile`, its network-not-collected twin); its stats. */
export function writeEstate(file: string, opts: EstateOptions, notCollectedFile?: string): EstateStats {
  const snap = generateEstate(opts);
  writeFileSync(file, serializeSnapshot(snap));
  if (notCollectedFile) writeFileSync(notCollectedFile, serializeSnapshot(withoutNetworkCollected(snap)));
  return estateStats(snap);
}

function cli(argv: string[]): number {
  const usage =
    'usage: node dist/bench/generate.js --sgs N [--regions 17] [--accounts 1] [--seed 1] -o FILE [--stats FILE.json]' +
    ' [--network-not-collected FILE]';
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        sgs: { type: 'string' },
        regions: { type: 'string', default: '17' },
        accounts: { type: 'string', default: '1' },
        seed: { type: 'string', default: '1' },
        output: { type: 'string', short: 'o' },
        stats: { type: 'string' },
        'network-not-collected': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`generate: ${(err as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (!values.sgs || !values.output) {
    process.stderr.write(`generate: --sgs and -o are required\n${usage}\n`);
    return 2;
  }
  const num = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`--${name}: expected an integer, got '${v}'`);
    return n;
  };
  try {
    const opts = {
      sgs: num('sgs', values.sgs),
      regions: num('regions', values.regions),
      accounts: num('accounts', values.accounts),
      seed: num('seed', values.seed),
    };
    const t0 = performance.now();
    const twin = values['network-not-collected'];
    const st = writeEstate(path.resolve(values.output), opts, twin === undefined ? undefined : path.resolve(twin));
    if (values.stats) writeFileSync(path.resolve(values.stats), JSON.stringify(st, null, 2) + '\n');
    process.stderr.write(
      `generate: ${values.output}: ${st.securityGroups} SGs, ${st.permissions} permissions, ${st.sources} sources, ` +
        `${st.networkInterfaces} ENIs (${st.publicInterfaces} public), ${st.loadBalancers} LBs, ${st.listeners} ` +
        `listeners, ${st.dbClusters} clusters, ${st.dbInstances} instances, ${st.vpcs} VPCs, ${st.subnets} subnets ` +
        `in ${st.scopes} account-regions (${Math.round(performance.now() - t0)} ms)\n`,
    );
    return 0;
  } catch (err) {
    process.stderr.write(`generate: ${(err as Error).message}\n`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = cli(process.argv.slice(2));
}
