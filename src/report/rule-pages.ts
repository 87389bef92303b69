/**
 * The rule pages, `docs/rules/<id>.md`: a rule's metadata and options (rules-doc.ts) plus a failing and a
 * passing example. An example is a region entry of a snapshot written in YAML (`docs/examples/<id>.yaml`);
 * the page shows it as written and the findings the rule really reports for it, so a page cannot claim an
 * outcome the rule does not produce (test/docs/rule-pages.test.ts runs every example and compares pages).
 */
import YAML from 'yaml';
import { defaultSettings, type Settings } from '../config/schema.js';
import { evaluateRules } from '../engine/evaluate.js';
import type { Finding, Rule } from '../engine/types.js';
import { buildGraph } from '../graph/build.js';
import {
  NETWORK_KINDS,
  newSnapshot,
  RegionSnapshotSchema,
  RESOURCE_KINDS,
  type ResourceKind,
  type Snapshot,
} from '../snapshot/schema.js';

const isNetworkKind = (k: ResourceKind): boolean => (NETWORK_KINDS as readonly string[]).includes(k);
import { ruleMarkdownParts } from './rules-doc.js';

/** Where the pages and their examples live, relative to the repository root. */
export const RULE_PAGES_DIR = 'docs/rules';
export const RULE_EXAMPLES_DIR = 'docs/examples';

/** Account and region an example's estate is in unless it names its own. */
const EXAMPLE_ACCOUNT = '111122223333';
const EXAMPLE_REGION = 'us-east-1';

export interface RuleExample {
  /** The message id the rule reports for this estate: a `fail` one for the failing example. */
  messageId: string;
  /** What the example shows, in a sentence (optional). */
  note?: string;
  /** Options for this rule, as under `rules.<id>.options` in the settings file. */
  options?: Record<string, unknown>;
  /** The estate as written in the examples file (shown on the page). */
  estateYaml: string;
  /** The estate: one region entry of a snapshot; left-out fields take the snapshot schema's defaults. */
  estate: Record<string, unknown>;
  /** The options as a settings file holding them, when there are any. */
  settingsYaml?: string;
}

export interface RuleExamples {
  fail: RuleExample;
  pass: RuleExample;
}

/** The source text of one node, as written (comments and style kept), its indentation removed. */
function nodeText(doc: YAML.Document, text: string, path: string[]): string {
  const node = doc.getIn(path, true) as YAML.Node;
  const [start, end] = node.range ?? [0, 0];
  const column = start - (text.lastIndexOf('\n', start - 1) + 1);
  return text
    .slice(start, end)
    .split('\n')
    .map((line, i) => (i === 0 ? line : line.slice(Math.min(column, line.length - line.trimStart().length))))
    .join('\n')
    .trimEnd();
}

/** `rules: <id>: options: …` as it goes in the settings file, the options as written. */
function settingsText(id: string, options: string): string {
  const value = options.includes('\n') ? '\n' + options.replace(/^/gm, '      ') : ' ' + options;
  return `rules:\n  ${id}:\n    options:${value}`;
}

function exampleOf(doc: YAML.Document, text: string, key: 'fail' | 'pass', id: string, file: string): RuleExample {
  const raw = (doc.toJS() as Record<string, unknown> | null)?.[key] as Record<string, unknown> | undefined;
  const where = `${file}: ${key}`;
  if (!raw || typeof raw !== 'object')
    throw new Error(`${where}: missing (each rule needs a failing and a passing example)`);
  if (typeof raw.messageId !== 'string') throw new Error(`${where}.messageId: the message id the rule reports`);
  if (!raw.estate || typeof raw.estate !== 'object') throw new Error(`${where}.estate: one region entry of a snapshot`);
  const extra = Object.keys(raw).filter((k) => !['messageId', 'note', 'options', 'estate'].includes(k));
  if (extra.length) throw new Error(`${where}: unknown key(s) ${extra.join(', ')} (messageId, note, options, estate)`);
  return {
    messageId: raw.messageId,
    ...(typeof raw.note === 'string' ? { note: raw.note } : {}),
    ...(raw.options
      ? {
          options: raw.options as Record<string, unknown>,
          settingsYaml: settingsText(id, nodeText(doc, text, [key, 'options'])),
        }
      : {}),
    estate: raw.estate as Record<string, unknown>,
    estateYaml: nodeText(doc, text, [key, 'estate']),
  };
}

/**
 * Read an examples file: `fail:` and `pass:`, each with `messageId`, an optional `note` and `options`, and
 * `estate`.
 */
export function parseRuleExamples(text: string, id: string, file: string): RuleExamples {
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
  return { fail: exampleOf(doc, text, 'fail', id, file), pass: exampleOf(doc, text, 'pass', id, file) };
}

/**
 * The example's estate as a snapshot: every resource kind counted as collected unless it says otherwise, except
 * the network data (VPCs, subnets, route tables…) when the example lists none of it. A page's example of a group
 * open to the internet then reads "reachability unknown" at the rule's severity, not "not reachable: attached to
 * no network interface" one step lower, which would contradict its own note.
 */
export function exampleSnapshot(example: RuleExample): Snapshot {
  const hasNetwork = NETWORK_KINDS.some((k) => k in example.estate);
  const region = RegionSnapshotSchema.parse({
    accountId: EXAMPLE_ACCOUNT,
    region: EXAMPLE_REGION,
    collected: hasNetwork ? [...RESOURCE_KINDS] : RESOURCE_KINDS.filter((k) => !isNetworkKind(k)),
    ...example.estate,
  });
  return newSnapshot([region], '2026-01-01T00:00:00.000Z');
}

/** Default settings with the example's options for this rule. */
function exampleSettings(rule: Rule, example: RuleExample): Settings {
  const settings = defaultSettings();
  return example.options ? { ...settings, rules: { [rule.meta.id]: { options: example.options } } } : settings;
}

/** Every result (passes included) the rule reports for the example's estate. */
export function runExample(rule: Rule, example: RuleExample): Finding[] {
  const settings = exampleSettings(rule, example);
  return evaluateRules(buildGraph(exampleSnapshot(example), settings), [rule]).findings;
}

function exampleSection(rule: Rule, example: RuleExample, heading: string): string[] {
  const findings = runExample(rule, example);
  const shown = findings.filter((f) => f.messageId === example.messageId);
  const lines = [`### ${heading}`, ''];
  if (example.note) lines.push(example.note, '');
  if (example.settingsYaml) {
    lines.push('With these options in the settings file (`sg-audit.config.yaml`):', '');
    lines.push('```yaml', example.settingsYaml.trimEnd(), '```', '');
  }
  lines.push('```yaml', example.estateYaml.trimEnd(), '```', '');
  const status = shown[0]?.status ?? 'no result';
  lines.push(`Result: **${status}**, message \`${example.messageId}\`:`, '');
  for (const f of shown.length ? shown : findings) lines.push(`> ${f.message}`, '>');
  if (lines[lines.length - 1] === '>') lines.pop();
  lines.push('');
  return lines;
}

/** The page of one rule: what it checks, how to fix it, its options, a failing and a passing example. */
export function renderRulePage(rule: Rule, examples: RuleExamples): string {
  const m = rule.meta;
  const parts = ruleMarkdownParts(rule);
  const lines = [
    `<!-- generated by \`npm run docs\` from rules/${m.id}.ts and ${RULE_EXAMPLES_DIR}/${m.id}.yaml; do not edit -->`,
    '',
    `# \`${m.id}\`: ${m.title}`,
    '',
    parts.facts,
    '',
    m.rationale,
    '',
    '## Remediation',
    '',
    m.remediation,
    '',
    '## Options',
    '',
    ...(parts.options.length
      ? [`Set them under \`rules.${m.id}.options\` in the settings file.`, '', ...parts.options]
      : ['This rule has no options.']),
    '',
    '## Examples',
    '',
    'Each example is one region entry of a snapshot (`regions[]` in `sg-audit collect -o` output), in YAML;',
    `fields left out take their defaults. Account ${EXAMPLE_ACCOUNT}, region ${EXAMPLE_REGION}, everything collected ` +
      '(the network data only when the example lists some: without it, reachability from the internet is unknown).',
    '',
    ...exampleSection(rule, examples.fail, 'Failing'),
    ...exampleSection(rule, examples.pass, 'Passing'),
    '## References',
    '',
    ...parts.references.map((r) => `- ${r}`),
    '',
    `\`sg-audit rules ${m.id}\` shows this rule in the terminal. [All rules](../../README.md#rules)`,
  ];
  return lines.join('\n') + '\n';
}
