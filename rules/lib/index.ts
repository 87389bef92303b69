/**
 * Everything a rule imports, in one place: the rule contract (`defineRule` and its types), the graph it
 * reads and its queries, and the shared helpers of rules/lib. Rules import from here only (plus `zod` for
 * options); the helper files import each other directly, so this file is never part of a cycle.
 */
export {
  defineRule,
  type PassDetails,
  type ResourceRef,
  type ResourceType,
  type Rule,
  type RuleContext,
  type RuleMeta,
  type RuleReference,
  type RuleReport,
} from '../../src/engine/types.js';
export type { ReportTypeOf } from '../../src/engine/resource-types.js';
export type { Exposure, PortQuery } from '../../src/exposure/types.js';
export { TIERS, type Settings, type Severity, type Tier } from '../../src/config/schema.js';
export type * from '../../src/graph/model.js';
export * from '../../src/graph/query.js';
export * from './aws-cli.js';
export * from './exposure.js';
export * from './internet.js';
export * from './ports.js';
export * from './public-sources.js';
export * from './references.js';
export * from './resources.js';
export * from './service-ports.js';
export * from './tier.js';
export * from './tier-chain.js';
export * from './tier-paths.js';
export * from './usage.js';
