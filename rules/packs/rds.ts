import type { Rule } from '../lib/index.js';
import { rdsStorageEncrypted } from '../rds-storage-encrypted.js';

/** RDS and Aurora databases themselves (settings, not network exposure). */
export const rdsRules: Rule[] = [rdsStorageEncrypted];
