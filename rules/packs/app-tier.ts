import type { Rule } from '../lib/index.js';
import { appTierFromWebOnly } from '../app-tier-from-web-only.js';

/** App tier: what may reach the application servers. */
export const appTierRules: Rule[] = [appTierFromWebOnly];
