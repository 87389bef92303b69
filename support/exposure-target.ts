/**
 * Issue #12's cost target for internet exposure, as the eval benchmark (bench/eval.ts) checks it: what exposure
 * adds to the evaluation at 100k groups, against the baseline build when it ran (exposure not in the build at
 * all), else against the `without` variant (same build, network not collected). Here so tests can check it
 * (test/ reaches bench code only through support/).
 */

export const EXPOSURE_TARGET = { size: 100_000, maxAddedPct: 20 } as const;

export interface Added {
  wallPct: number;
  cpuPct: number;
}

export interface Medians {
  wallMs: number;
  cpuMs: number;
}

/** (with − other) / other in %, one decimal. */
export function added(withMedian: Medians, other: Medians): Added {
  const pct = (a: number, b: number) => Math.round(((a - b) / b) * 1000) / 10;
  return { wallPct: pct(withMedian.wallMs, other.wallMs), cpuPct: pct(withMedian.cpuMs, other.cpuMs) };
}

export interface ExposureTarget {
  size: number;
  maxAddedPct: number;
  addedPct?: number;
  against?: 'baseline' | 'without';
  met?: boolean;
}

export function exposureTarget(
  sizes: readonly { sgs: number; exposureAdded?: Added; exposureAddedVsBaseline?: Added }[],
): ExposureTarget {
  const big = sizes.find((s) => s.sgs === EXPOSURE_TARGET.size);
  const against = big?.exposureAddedVsBaseline ? 'baseline' : big?.exposureAdded ? 'without' : undefined;
  const addedPct = (big?.exposureAddedVsBaseline ?? big?.exposureAdded)?.wallPct;
  return {
    ...EXPOSURE_TARGET,
    addedPct,
    against,
    met: addedPct === undefined ? undefined : addedPct <= EXPOSURE_TARGET.maxAddedPct,
  };
}
