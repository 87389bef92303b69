import type { Rule } from '../src/engine/types.js';
import { auroraSg } from './aurora-sg.js';
import { dataTierSg } from './data-tier-sg.js';
import { webTierSg } from './web-tier-sg.js';

/** Tier rules: data tier, web tier, Aurora (issue #2). */
export const tierRules: Rule[] = [dataTierSg, webTierSg, auroraSg];
