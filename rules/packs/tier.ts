import type { Rule } from '../lib/index.js';
import { auroraSg } from '../aurora-sg.js';
import { dataTierSg } from '../data-tier-sg.js';
import { webTierSg } from '../web-tier-sg.js';

/** Tier rules: each tier's groups admit only the tier in front of it (data, web, Aurora). */
export const tierRules: Rule[] = [dataTierSg, webTierSg, auroraSg];
