import type { Rule } from '../src/engine/types.js';

/** Least-privilege pack (issue #4). */
export const leastPrivilegeRules: Rule[] = [];
