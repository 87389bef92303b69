/**
 * SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif) and other SARIF viewers.
 *
 * - One reportingDescriptor per rule that ran: title, rationale, markdown help (rationale, remediation,
 *   references), helpUri (first reference URL), `security-severity` so GitHub ranks alerts.
 * - Results: failing findings only (`kind: fail`). Passes are left out (code scanning closes alerts that
 *   stop appearing); suppressed findings stay, with `suppressions: [{kind: external, justification}]`.
 *   Level: critical/high → error, medium → warning, low/info → note.
 * - Errors (collection or rule errors: results unknown) are `toolExecutionNotifications` of level error
 *   and make `executionSuccessful` false; expired or stale suppression entries are
 *   `toolConfigurationNotifications` of level warning.
 * - Location: findings have no source file. Code scanning needs a physicalLocation with a URI relative to
 *   the repository (it does not resolve `uriBaseId`/`originalUriBaseIds` or other URI schemes), so each
 *   result points at the synthetic path `aws/<account>/<region>/<resource-id>`: stable across runs and
 *   readable in the alert list. No `region` (line) is given, so upload-sarif never tries to hash a file
 *   there. The resource itself is the logicalLocation (ARN when known).
 * - `partialFingerprints`: our own `sgAuditFinding/v1` plus `primaryLocationLineHash` (the key GitHub
 *   matches alerts on) with the same value, so alerts follow the resource, not a line.
 */
import type { Severity } from '../config/schema.js';
import { COLLECTION_RULE_ID } from '../engine/evaluate.js';
import { resourcePath } from './build.js';
import { exposureLine, exposureToExplain, pathText } from './exposure-text.js';
import { FINGERPRINT_KEY } from '../gate/fingerprint.js';
import type { Report, Reporter, ReportFinding, ReportRule } from './model.js';
import { suppressionWarnings } from '../gate/suppressions.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

type Level = 'error' | 'warning' | 'note';

export function sarifLevel(s: Severity): Level {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/** GitHub's scale: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

export function artifactUri(f: Pick<ReportFinding, 'accountId' | 'region' | 'resource'>): string {
  return ['aws', f.accountId, f.region, f.resource.id].map((p) => encodeURIComponent(p)).join('/');
}

function ruleHelp(r: ReportRule): { text: string; markdown: string } {
  const refsText = r.references.map(
    (ref) => `- ${ref.title}${ref.ids?.length ? ` (${ref.ids.join(', ')})` : ''}${ref.url ? `: ${ref.url}` : ''}`,
  );
  const refsMd = r.references.map((ref) => {
    const title = ref.url ? `[${mdText(ref.title)}](${ref.url})` : mdText(ref.title);
    return `- ${title}${ref.ids?.length ? ` — ${ref.ids.map(mdText).join(', ')}` : ''}`;
  });
  const text = [
    r.rationale,
    '',
    `Remediation: ${r.remediation}`,
    ...(refsText.length ? ['', 'References:', ...refsText] : []),
  ].join('\n');
  const markdown = [
    `**Why it matters.** ${mdText(r.rationale)}`,
    '',
    `**Remediation.** ${mdText(r.remediation)}`,
    ...(refsMd.length ? ['', '**References**', '', ...refsMd] : []),
  ].join('\n');
  return { text, markdown };
}

function mdText(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function logicalLocation(f: Pick<ReportFinding, 'accountId' | 'region' | 'resource'>) {
  return {
    name: f.resource.id,
    fullyQualifiedName: f.resource.arn ?? resourcePath(f),
    kind: 'resource',
  };
}

function resultText(f: ReportFinding): string {
  // Reachable and unknown say so after the message, unless the message already does (exposureToExplain).
  const e = exposureToExplain(f);
  const text = e ? `${f.message}\n\nInternet: ${exposureLine(e, f.resource.id)}` : f.message;
  if (!f.remediation.length) return text;
  return `${text}\n\nFix:\n${f.remediation.map((c) => `  ${c}`).join('\n')}`;
}

/** `properties.exposure`: the status, its reason, how many paths and the first one as text. */
function exposureProperty(f: ReportFinding) {
  const e = f.exposure;
  if (!e) return {};
  return {
    exposure: {
      status: e.status,
      reason: e.reason,
      paths: e.pathCount ?? e.paths.length,
      ...(e.paths.length ? { firstPath: pathText(e.paths[0]) } : {}),
    },
  };
}

/**
 * Descriptors of the notifications (tool execution and configuration), with the same parts as rule
 * descriptors: shortDescription, fullDescription and help (GitHub's SARIF checks, GH2012, want them).
 */
const NOTIFICATION_DESCRIPTORS: { id: string; name: string; level: Level; short: string; full: string; fix: string }[] =
  [
    {
      id: COLLECTION_RULE_ID,
      name: 'CollectionError',
      level: 'error',
      short: 'An AWS API could not be read: findings that need it are unknown.',
      full:
        'sg-audit could not call an AWS API (for example ec2:DescribeSecurityGroups) in an account/region: access ' +
        'was denied, the region is not enabled or the call failed. Rules that need that data report nothing ' +
        'there, so the results for that account/region are unknown, not passing, and the run is incomplete.',
      fix:
        'Read the message for the API and error code; grant the read-only permission it names (see the minimal IAM ' +
        'policy in the README) or leave the region out of --regions, then scan again.',
    },
    {
      id: 'rule-error',
      name: 'RuleError',
      level: 'error',
      short: 'A rule failed: its results are unknown.',
      full:
        'A rule threw an error while checking an account/region, so its results there are unknown, not passing, ' +
        'and the run is incomplete. The other rules ran normally.',
      fix:
        'Report the message with the rule id; until it is fixed, review what the rule checks by hand for the ' +
        'account/region named.',
    },
    {
      id: 'suppression-expired',
      name: 'SuppressionExpired',
      level: 'warning',
      short: 'A suppression entry is past its expiry date and no longer applies.',
      full:
        'An entry of the suppressions file has an expires date in the past (UTC). It no longer suppresses anything: ' +
        'the findings it covered are reported and fail the build again.',
      fix: 'Fix the findings, or renew the entry with a new expires date and a reason that still holds.',
    },
    {
      id: 'suppression-stale',
      name: 'SuppressionStale',
      level: 'warning',
      short: 'A suppression entry matches no failing finding.',
      full:
        'An entry of the suppressions file matched no failing finding in this run: the finding was fixed, the ' +
        'resource is gone, or the rule or resource pattern is wrong.',
      fix: 'Remove the entry, or correct its rule and resource patterns.',
    },
  ];

export function renderSarif(report: Report): object {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const rules = report.rules.map((r) => {
    const help = ruleHelp(r);
    const helpUri = r.references.find((ref) => ref.url)?.url;
    const sec = SECURITY_SEVERITY[r.severity];
    return {
      id: r.id,
      name: r.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
      shortDescription: { text: r.title },
      fullDescription: { text: r.rationale },
      help,
      ...(helpUri ? { helpUri } : {}),
      defaultConfiguration: { level: sarifLevel(r.severity) },
      properties: {
        tags: ['security', 'aws', 'security-group', r.category, ...(r.tier ? [`tier:${r.tier}`] : [])],
        precision: 'very-high',
        severity: r.severity,
        ...(sec ? { 'security-severity': sec } : {}),
      },
    };
  });

  const results = report.findings
    .filter((f) => f.status === 'fail')
    .map((f) => ({
      ruleId: f.ruleId,
      ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId)! } : {}),
      kind: 'fail',
      level: sarifLevel(f.severity),
      message: { text: resultText(f) },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: artifactUri(f) } },
          logicalLocations: [logicalLocation(f)],
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint, primaryLocationLineHash: f.fingerprint },
      ...(f.suppression
        ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.suppression.reason }] }
        : {}),
      ...(f.baseline ? { baselineState: f.baseline } : {}),
      properties: {
        severity: f.severity,
        ...(SECURITY_SEVERITY[f.severity] ? { 'security-severity': SECURITY_SEVERITY[f.severity] } : {}),
        accountId: f.accountId,
        region: f.region,
        resource: f.resource,
        ...(f.related.length ? { related: f.related } : {}),
        ...(f.remediation.length ? { remediation: f.remediation } : {}),
        ...(f.suppression ? { suppression: f.suppression } : {}),
        ...exposureProperty(f),
      },
    }));

  const notificationDescriptors = NOTIFICATION_DESCRIPTORS.map((d) => ({
    id: d.id,
    name: d.name,
    shortDescription: { text: d.short },
    fullDescription: { text: d.full },
    help: { text: `${d.full}\n\n${d.fix}`, markdown: `${mdText(d.full)}\n\n**What to do.** ${mdText(d.fix)}` },
    defaultConfiguration: { level: d.level },
  }));
  const descriptorIndex = new Map(NOTIFICATION_DESCRIPTORS.map((d, i) => [d.id, i]));
  const ref = (id: string) => ({ id, index: descriptorIndex.get(id)! });

  const toolExecutionNotifications = report.findings
    .filter((f) => f.status === 'error')
    .map((f) => {
      const collection = f.ruleId === COLLECTION_RULE_ID;
      return {
        level: 'error',
        message: { text: f.message },
        descriptor: ref(collection ? COLLECTION_RULE_ID : 'rule-error'),
        ...(!collection && ruleIndex.has(f.ruleId)
          ? { associatedRule: { id: f.ruleId, index: ruleIndex.get(f.ruleId)! } }
          : {}),
        // No `locations`: code scanning rejects locations without a physicalLocation; the scope is in properties.
        properties: {
          accountId: f.accountId,
          region: f.region,
          resource: f.resource,
          ...(f.data ? { data: f.data } : {}),
        },
      };
    });

  const toolConfigurationNotifications = report.suppressions
    ? report.suppressions.entries
        .filter((e) => e.status !== 'active')
        .map((e) => ({
          level: 'warning',
          message: { text: suppressionWarnings(report.suppressions!.file, [e])[0] ?? '' },
          descriptor: ref(e.status === 'expired' ? 'suppression-expired' : 'suppression-stale'),
          properties: { entry: e },
        }))
    : [];

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sg-audit',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules,
            notifications: notificationDescriptors,
          },
        },
        invocations: [
          {
            executionSuccessful: !report.summary.incomplete,
            endTimeUtc: report.generatedAt,
            ...(toolExecutionNotifications.length ? { toolExecutionNotifications } : {}),
            ...(toolConfigurationNotifications.length ? { toolConfigurationNotifications } : {}),
          },
        ],
        results,
        properties: {
          reportSchemaVersion: report.schemaVersion,
          snapshotCreatedAt: report.snapshotCreatedAt,
          scope: report.scope,
          summary: report.summary,
          ...(report.gate ? { gate: report.gate } : {}),
          ...(report.baseline
            ? {
                baseline: {
                  file: report.baseline.file,
                  generatedAt: report.baseline.generatedAt,
                  new: report.baseline.new,
                  unchanged: report.baseline.unchanged,
                  fixed: report.baseline.fixed,
                },
              }
            : {}),
        },
      },
    ],
  };
}

export const sarifReporter: Reporter = {
  format: 'sarif',
  render(report) {
    return JSON.stringify(renderSarif(report), null, 2) + '\n';
  },
};
