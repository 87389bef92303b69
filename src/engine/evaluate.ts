import type { Settings, Severity } from '../config/schema.js';
import type { Exposure } from '../exposure/types.js';
import type { Graph } from '../graph/model.js';
import { finishRemediation } from './remediation.js';
import { SEVERITY_RANK, type Finding, type PassDetails, type Rule, type RuleReport } from './types.js';

export const COLLECTION_RULE_ID = 'collection-error';
export const ENGINE_RULE_ID = 'rule-error';

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/;
/** Templates split once into [text, key, text, key, …, text]; a scan formats ~10^6 messages. */
const compiledTemplates = new Map<string, string[]>();

export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  let parts = compiledTemplates.get(template);
  if (!parts) {
    parts = template.split(new RegExp(PLACEHOLDER.source, 'g'));
    if (compiledTemplates.size < 10_000) compiledTemplates.set(template, parts);
  }
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const k = parts[i];
    out += (data && k in data ? String(data[k]) : `{{${k}}}`) + parts[i + 1];
  }
  return out;
}

/** Resolve a rule's options from settings (already validated at load time). */
export function ruleOptions(rule: Rule, settings: Settings): unknown {
  if (!rule.options) return {};
  return rule.options.parse(settings.rules[rule.meta.id]?.options ?? {});
}

export function ruleSeverity(rule: Rule, settings: Settings): Severity {
  return settings.rules[rule.meta.id]?.severity ?? rule.meta.severity;
}

/** One step down: critical → high → medium → low → info (info stays info). */
export function lowerSeverity(s: Severity): Severity {
  return s === 'critical' ? 'high' : s === 'high' ? 'medium' : s === 'medium' ? 'low' : 'info';
}

/**
 * The sentence a failing finding's message gets when what it is about cannot be reached from the internet,
 * naming what blocks it and the severity it had before it was lowered one step.
 */
export function unreachableNote(exposure: Exposure, before: Severity): string {
  const reason = exposure.reason.replace(/[.\s]+$/, '');
  return ` Not reachable from the internet: ${reason || 'no path'} (severity lowered from ${before}).`;
}

/** How many paths a finding's exposure keeps (`Exposure.pathCount` tells the total): `sg-audit paths` lists all. */
export const FINDING_PATHS = 3;

/**
 * The exposure a finding carries: the first `FINDING_PATHS` paths (model order) and `pathCount` when more were
 * dropped. One interface can be reachable on hundreds of paths (every source range × port span × ACL split), and
 * every finding about it would carry them all: at 100k groups 90k paths made 129 MB of a 452 MB report.
 */
export function findingExposure(e: Exposure): Exposure {
  if (e.paths.length <= FINDING_PATHS) return e;
  return {
    status: e.status,
    reason: e.reason,
    paths: e.paths.slice(0, FINDING_PATHS),
    pathCount: e.pathCount ?? e.paths.length,
  };
}

export interface EvaluationResult {
  findings: Finding[];
  /** Passing findings per rule id that were counted but not materialised (`keepPasses: false`). */
  unlistedPasses: Record<string, number>;
}

/**
 * Run rules over the graph: the rules step of core's `evaluateSnapshot`, and the entry for tests and the
 * benchmark that start from a graph. A rule that throws yields one `error` finding (never silence) and its
 * partial results are discarded; collection errors recorded in the snapshot become `error` findings too.
 * `keepPasses` (default true) materialises passing findings; when false they are still recorded explicitly
 * but only counted per rule: a 100k-SG estate yields ~10^6 passes that nobody reads one by one.
 */
export function evaluateRules(graph: Graph, rules: Rule[], opts: { keepPasses?: boolean } = {}): EvaluationResult {
  const keepPasses = opts.keepPasses ?? true;
  const settings = graph.settings;
  const findings: Finding[] = collectionErrorFindings(graph);
  const unlistedPasses: Record<string, number> = {};
  for (const rule of rules) {
    const severity = ruleSeverity(rule, settings);
    const overridden = settings.rules[rule.meta.id]?.severity !== undefined;
    const local: Finding[] = [];
    let passes = 0;
    const { id: ruleId, messages, category, tier } = rule.meta;
    // defineRule makes an unknown id a compile error; this catches what the compiler cannot see (a computed
    // id, a cast, a rule written in JavaScript) as a rule error instead of a message with no text.
    const templateOf = (messageId: string): string => {
      const template = messages[messageId];
      if (template === undefined) throw new Error(`rule ${ruleId} reported unknown messageId '${messageId}'`);
      return template;
    };
    const add = (
      status: 'pass' | 'fail' | 'error',
      messageId: string,
      template: string,
      r: PassDetails,
      remediation: string[] | undefined,
    ) => {
      // A settings override wins over a rule's per-finding severity.
      let sev = overridden ? severity : (r.severity ?? severity);
      let message = formatMessage(template, r.data);
      // Passes carry no exposure. A failing finding about something the internet cannot reach is lowered one
      // step, after any override; `unknown` (data not collected) keeps its severity.
      const exposure = status === 'pass' || !r.exposure ? undefined : findingExposure(r.exposure);
      if (exposure?.status === 'unreachable' && status === 'fail') {
        message += unreachableNote(exposure, sev);
        sev = lowerSeverity(sev);
      }
      const f: Finding = {
        ruleId,
        messageId,
        status,
        severity: sev,
        category,
        tier,
        accountId: r.accountId,
        region: r.region,
        resource: r.resource,
        related: r.related ?? [],
        message,
        // A `# No command` line (a value failed its format check) replaces the whole fix sequence:
        // one with a step missing is worse than none (src/engine/remediation.ts).
        remediation: status === 'pass' ? [] : finishRemediation(remediation),
        data: r.data,
      };
      if (exposure) f.exposure = exposure;
      if (status !== 'pass' && r.paths?.length) f.paths = r.paths;
      local.push(f);
    };
    const report = (r: RuleReport) => {
      const template = templateOf(r.messageId);
      if (r.status === 'pass' && !keepPasses) passes++;
      else add(r.status, r.messageId, template, r, r.remediation);
    };
    // Passes are counted without building their details unless they are listed: a scan of 10^5 groups has
    // ~10^6 passes nobody reads.
    const pass = keepPasses
      ? (messageId: string, details: () => PassDetails) =>
          add('pass', messageId, templateOf(messageId), details(), undefined)
      : (messageId: string) => {
          templateOf(messageId);
          passes++;
        };
    try {
      rule.check({ graph, settings, options: ruleOptions(rule, settings), report, pass });
      // Not `push(...local)`: spreading ~10^5 findings as call arguments overflows the stack.
      for (const f of local) findings.push(f);
      if (passes > 0) unlistedPasses[rule.meta.id] = passes;
    } catch (err) {
      findings.push({
        ruleId: rule.meta.id,
        messageId: 'ruleError',
        status: 'error',
        severity,
        category: 'engine',
        accountId: '*',
        region: '*',
        resource: { type: 'rule', id: rule.meta.id },
        related: [],
        message:
          `Rule ${rule.meta.id} failed: ${err instanceof Error ? err.message : String(err)}; its results are ` +
          'unknown.',
        remediation: [],
      });
    }
  }
  return { findings, unlistedPasses };
}

function collectionErrorFindings(graph: Graph): Finding[] {
  const out: Finding[] = [];
  const push = (accountId: string, region: string, api: string, code: string, message: string) =>
    out.push({
      ruleId: COLLECTION_RULE_ID,
      messageId: 'collectionError',
      status: 'error',
      severity: 'high',
      category: 'collection',
      accountId,
      region,
      resource: { type: 'account-region', id: `${accountId}/${region}`, name: api },
      related: [],
      message:
        `Could not collect ${api} in ${accountId}/${region}: ${code}: ${message.replace(/[.\s]+$/, '')}. Rules ` +
        'that need it are incomplete here.',
      remediation: [],
      data: { api, code },
    });
  for (const scope of graph.scopes) {
    for (const e of scope.snapshot.errors) push(scope.accountId, scope.region, e.api, e.code, e.message);
  }
  for (const e of graph.accountErrors) push(e.accountId, e.region ?? '*', e.api, e.code, e.message);
  return out;
}

export function worstSeverity(findings: Finding[]): Severity | undefined {
  let best: Severity | undefined;
  for (const f of findings) if (!best || SEVERITY_RANK[f.severity] > SEVERITY_RANK[best]) best = f.severity;
  return best;
}
