/**
 * Live-collection options shared by `scan` and `collect`. (Owned by the live collection work, issue #3.)
 */
import type { Command } from 'commander';
import type { ResourceKind, Snapshot } from '../snapshot/schema.js';
import { UsageError } from '../util/errors.js';
import type { CliIO } from './io.js';

export interface LiveCliOptions {
  regions?: string;
}

export function addLiveOptions(cmd: Command): Command {
  return cmd.option('--regions <list>', "regions to scan: 'all' or a comma-separated list (default: the profile's region)");
}

export async function collectFromOptions(
  _opts: LiveCliOptions,
  _ctx: { needs: Set<ResourceKind>; io: CliIO },
): Promise<Snapshot> {
  throw new UsageError('live collection is not available in this build: pass --input FILE');
}
