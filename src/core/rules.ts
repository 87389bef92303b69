/** `rules`: the rule list, or rules in full (metadata and every option). */
import { defaultRegistry } from '../../rules/index.js';
import { rulesCommandOutput, type RulesFormat } from '../report/rules-doc.js';
import { EXIT } from '../util/errors.js';
import type { CoreIO } from './scan.js';

export interface RulesOptions {
  /** Rule ids or globs to show in full; none = the list. */
  ids: string[];
  format: RulesFormat;
}

export function runRules(opts: RulesOptions, io: Pick<CoreIO, 'stdout'>): { exitCode: number } {
  io.stdout.write(rulesCommandOutput(defaultRegistry().rules, opts.ids, opts.format));
  return { exitCode: EXIT.OK };
}
