/**
 * `collect`: the live estate into a snapshot file. The collection itself is injected (`io.collectLive`):
 * the CLI maps its flags onto the collector.
 */
import path from 'node:path';
import { defaultRegistry } from '../../rules/index.js';
import { serializeSnapshot } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/schema.js';
import { EXIT } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { checkOutputs } from './outputs.js';
import { prepare, type ScanIO } from './scan.js';

export interface CollectOptions {
  /** The snapshot file to write (atomically). */
  output: string;
  configPath?: string;
  rules?: string[];
  skipRules?: string[];
  /** Read by the live collection (`--role-arns-file`): it must not be the output. */
  roleArnsFile?: string;
}

export interface CollectResult {
  snapshot: Snapshot;
  /** 3 (incomplete) when anything could not be collected, else 0. */
  exitCode: number;
  /** One line per collection error, for stderr, as the scan report lists them. */
  errors: string[];
}

export type CollectIO = Omit<ScanIO, 'stdout'>;

export async function runCollect(opts: CollectOptions, io: CollectIO): Promise<CollectResult> {
  // No rule left (`--skip-rules '*'`) still collects the security groups: nothing is evaluated here.
  const prepared = prepare(defaultRegistry(), {
    cwd: io.cwd,
    configPath: opts.configPath,
    rules: opts.rules,
    skipRules: opts.skipRules,
    allowNoRules: true,
  });
  checkOutputs(
    [{ label: `-o ${opts.output}`, file: opts.output }],
    [
      ...(opts.configPath ? [{ label: `--config ${opts.configPath}`, file: opts.configPath }] : []),
      ...(opts.roleArnsFile ? [{ label: `--role-arns-file ${opts.roleArnsFile}`, file: opts.roleArnsFile }] : []),
    ],
    io.cwd,
  );
  const snapshot = await io.collectLive(prepared.needs);
  writeFileAtomic(path.resolve(io.cwd, opts.output), serializeSnapshot(snapshot));
  // Exit 3 says the snapshot is incomplete; the lines say where and why.
  const errors = collectionErrorLines(snapshot);
  return { snapshot, exitCode: errors.length > 0 ? EXIT.INCOMPLETE : EXIT.OK, errors };
}

/** `collection error: account/region: api: code: message`, account-level errors first (region `*`). */
export function collectionErrorLines(snapshot: Snapshot): string[] {
  const line = (scope: string, e: { api: string; code: string; message: string }) =>
    `collection error: ${scope}: ${e.api}: ${e.code}: ${e.message.replace(/\s+/g, ' ').trim()}`;
  return [
    ...snapshot.errors.map((e) => line(`${e.accountId}/${e.region ?? '*'}`, e)),
    ...snapshot.regions.flatMap((r) => r.errors.map((e) => line(`${r.accountId}/${r.region}`, e))),
  ];
}
