import type { Rule } from '../src/engine/types.js';

/** Tier rules: data tier, web tier, Aurora (issue #2). */
export const tierRules: Rule[] = [];
