import type { GateBreakdown } from '../gate/gate.js';
import type { FailOn } from './model.js';

/**
 * The verdict when nothing fails the build, true to what does fail: "No failing findings" only when none
 * fail at all. Otherwise it names what kept them from failing the build: with a baseline "No new failing
 * findings (53 known from the baseline)"; "unsuppressed" and "at high or above" when suppressions or
 * `--fail-on` did; `--fail-on none` says so.
 */
export function passVerdict(b: GateBreakdown, failOn: FailOn, withBaseline: boolean): string {
  if (b.failing === 0) return 'No failing findings';
  const parts = [
    b.known ? `${b.known} known from the baseline` : '',
    b.suppressed ? `${b.suppressed} suppressed` : '',
    b.below ? (failOn === 'none' ? `${b.below} failing` : `${b.below} below ${failOn}`) : '',
  ].filter(Boolean);
  const head =
    failOn === 'none' && b.below > 0
      ? 'No finding fails the build (--fail-on none)'
      : `No ${withBaseline ? 'new ' : ''}${b.suppressed ? 'unsuppressed ' : ''}failing findings` +
        `${b.below ? ` at ${failOn} or above` : ''}`;
  return `${head} (${parts.join(', ')})`;
}
