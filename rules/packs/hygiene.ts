import type { Rule } from '../lib/index.js';
import { defaultSgHasRules } from '../default-sg-has-rules.js';
import { defaultSgInUse } from '../default-sg-in-use.js';
import { launchWizardSg } from '../launch-wizard-sg.js';
import { sgCountPerRegion } from '../sg-count-per-region.js';
import { sgRuleCount } from '../sg-rule-count.js';
import { unusedSg } from '../unused-sg.js';

/** Hygiene: default groups, unused and launch-wizard groups, rule and group counts. */
export const hygieneRules: Rule[] = [
  defaultSgHasRules,
  defaultSgInUse,
  unusedSg,
  launchWizardSg,
  sgRuleCount,
  sgCountPerRegion,
];
