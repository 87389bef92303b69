import { UsageError } from '../util/errors.js';
import { jsonReporter } from './json.js';
import type { Format, Reporter } from './model.js';
import { tableReporter } from './table.js';

/** Every output format, explicitly listed. */
const REPORTERS: Readonly<Record<string, Reporter>> = { table: tableReporter, json: jsonReporter };

export function reporterFor(format: string): Reporter {
  const r = REPORTERS[format];
  if (!r) throw new UsageError(`--format ${format}: expected one of ${Object.keys(REPORTERS).join(', ')}`);
  return r;
}

export function formats(): Format[] {
  return Object.keys(REPORTERS) as Format[];
}
