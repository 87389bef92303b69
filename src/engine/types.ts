/**
 * The rule contract. A rule is one file in `rules/`: typed metadata plus a pure `check` over the graph.
 * Modelled on typescript-eslint (`meta.messages` + message ids) and cdk-nag (a throwing rule becomes an
 * error finding, not a crash). Rules record passes explicitly (defsec), with `ctx.pass(messageId, details)` so
 * that a pass that is only counted costs no payload.
 */
import type { z } from 'zod';
import type { Settings, Severity, Tier } from '../config/schema.js';
import type { Graph } from '../graph/model.js';
import type { Exposure, LateralPath } from '../exposure/types.js';
import type { ResourceKind } from '../snapshot/schema.js';
import type { NonResourceType, ReportedKind, ReportTypeOf } from './resource-types.js';

export type FindingStatus = 'pass' | 'fail' | 'error';

export type RuleCategory =
  'data-tier' | 'web-tier' | 'app-tier' | 'aurora' | 'least-privilege' | 'rds' | 'hygiene' | 'exposure' | 'tier-paths';

export interface RuleReference {
  title: string;
  url?: string;
  /** Control ids: `CIS 5.2`, `SecurityHub EC2.13`, `Config restricted-common-ports`, `Conformity EC2-012`. */
  ids?: string[];
}

export interface RuleMeta<M extends string = string> {
  /** Stable id, kebab-case, never reused. */
  id: string;
  title: string;
  severity: Severity;
  category: RuleCategory;
  tier?: Tier;
  rationale: string;
  /** Generic remediation; findings carry filled-in AWS CLI commands. */
  remediation: string;
  references: RuleReference[];
  /**
   * Message templates by id; `{{name}}` placeholders are filled from the finding's `data`. The keys are the
   * only message ids `ctx.report` and `ctx.pass` accept (checked by the compiler, see `defineRule`).
   */
  messages: Record<M, string>;
  /** Resource kinds the rule reads; collection only calls the APIs that enabled rules need. */
  needs: ResourceKind[];
  /** Off unless enabled in settings (noisy checks on AWS defaults). */
  defaultEnabled?: boolean;
}

/** A finding's `resource.type`: a reported kind's report type (resource-types.ts), an account-region or the engine. */
export type ResourceType = ReportTypeOf<ReportedKind> | NonResourceType;

export interface ResourceRef {
  type: ResourceType;
  id: string;
  arn?: string;
  name?: string;
}

/** What a rule reports; the engine adds rule metadata, severity overrides and message text. */
export interface RuleReport<M extends string = string> {
  messageId: M;
  /**
   * `error`: the rule could not decide for this resource (e.g. a prefix list whose entries were not
   * collected): the verdict is unknown, never a pass; the scan counts as incomplete (exit 3).
   */
  status: 'pass' | 'fail' | 'error';
  accountId: string;
  region: string;
  resource: ResourceRef;
  /** What the resource protects or relates to (DB, LB, instance, referenced SG). */
  related?: ResourceRef[];
  data?: Record<string, string | number>;
  /** Lower (or higher) than the rule's default severity for this finding, e.g. Aurora egress. */
  severity?: Severity;
  /** Filled-in AWS CLI commands for the fix. */
  remediation?: string[];
  /**
   * Whether what the finding is about is reachable from the internet (src/exposure); `unreachable` lowers the
   * finding's severity one step (the engine does it, after any settings override).
   */
  exposure?: Exposure;
  /**
   * Paths inside the estate that show the problem (tier-paths rules, issue #13): the offending path of a tier
   * skip, the internet → … → database path of a blast radius. In the JSON contract of `sg-audit paths`.
   */
  paths?: LateralPath[];
}

/** A passing report without its status and message id (passes carry no remediation). */
export type PassDetails = Omit<RuleReport, 'status' | 'messageId' | 'remediation'>;

/**
 * What `check` gets; `M` is the rule's message ids. `report` and `pass` are methods (checked bivariantly) so
 * that every `Rule<S, M>` is also a plain `Rule` for the registry; calls with a literal id are still checked.
 */
export interface RuleContext<O, M extends string = string> {
  graph: Graph;
  settings: Settings;
  options: O;
  /** Record a finding (fail, or a pass built eagerly). */
  report(this: void, r: RuleReport<M>): void;
  /**
   * Record a pass. `details` builds the rest of the report and is called only when passes are listed
   * (`--verbose`, `evaluateRules` with `keepPasses`); otherwise the pass is only counted for its rule, so a
   * scan of 10^5 groups does not build ~10^6 pass payloads nobody reads. `messageId` is checked either way. Keep
   * `details` free of side effects and of decisions: whether a check passes is decided before calling this.
   */
  pass(this: void, messageId: M, details: () => PassDetails): void;
}

export interface Rule<S extends z.ZodType = z.ZodType, M extends string = string> {
  meta: RuleMeta<M>;
  /** zod schema of the rule's options with defaults; `parse({})` gives the defaults. */
  options?: S;
  check(ctx: RuleContext<z.infer<S>, M>): void;
}

/**
 * Define a rule with its options type and its message ids inferred from `meta.messages`:
 * `ctx.report({ messageId })` and `ctx.pass(messageId, …)` with an id that is not a key of `messages` do not compile.
 */
export function defineRule<S extends z.ZodType, M extends string>(rule: Rule<S, M>): Rule<S, M> {
  return rule;
}

export interface Finding {
  ruleId: string;
  messageId: string;
  status: FindingStatus;
  severity: Severity;
  category: RuleCategory | 'collection' | 'engine';
  tier?: Tier;
  accountId: string;
  region: string;
  resource: ResourceRef;
  related: ResourceRef[];
  message: string;
  remediation: string[];
  data?: Record<string, string | number>;
  /** Internet reachability of what the finding is about, when the rule asked (world-open and tier rules). */
  exposure?: Exposure;
  /** Paths inside the estate that show the problem (tier-paths rules), as the rule reported them. */
  paths?: LateralPath[];
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
