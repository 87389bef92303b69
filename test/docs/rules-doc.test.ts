/**
 * Issue #10 item 17: rule options are discoverable from the rule's own zod schema — `sg-audit rules ID`,
 * `rules --format json|markdown` — with name, type, default and meaning; no hand-kept table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allRules } from '../../rules/index.js';
import { formatDefault, ruleOptions, renderRule, renderRules, rulesCommandOutput } from '../../src/report/rules-doc.js';
import { UsageError } from '../../src/util/errors.js';
import { assertCliBuilt, runCli } from '../helpers/spawn-cli.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const byId = (id: string) => allRules.find((r) => r.meta.id === id)!;

describe('rule options come from the zod schemas', () => {
  it('every option of every rule has a meaning (a describe() text on its schema)', () => {
    const missing = allRules.flatMap((r) => ruleOptions(r).filter((o) => o.description.length < 10).map((o) => `${r.meta.id}.${o.name}`));
    expect(missing).toEqual([]);
  });

  it('names and defaults are exactly what the schema parses to (parse({}))', () => {
    for (const r of allRules) {
      if (!r.options) {
        expect(ruleOptions(r)).toEqual([]);
        continue;
      }
      const defaults = r.options.parse({}) as Record<string, unknown>;
      const docs = ruleOptions(r);
      expect(docs.map((o) => o.name), r.meta.id).toEqual(Object.keys(defaults));
      for (const o of docs) expect(o.default, `${r.meta.id}.${o.name}`).toEqual(defaults[o.name]);
    }
  });

  it('types read like the settings file: integers with ranges, lists, enums, booleans', () => {
    const types = (id: string) => Object.fromEntries(ruleOptions(byId(id)).map((o) => [o.name, o.type]));
    expect(types('data-tier-sg')).toEqual({ maxPortRange: 'integer 1–65535' });
    expect(types('sg-rule-count')).toEqual({ maxRules: 'integer ≥ 1' });
    expect(types('world-open-admin-ports')).toEqual({ ports: 'integer[] (0–65535), at least 1', loadBalancerPorts: 'integer[] (0–65535)' });
    expect(types('app-tier-from-web-only')).toEqual({ allowedSourceTiers: '("lb" | "web" | "app" | "data")[], at least 1', allowSelf: 'boolean' });
    expect(formatDefault([80, 443])).toBe('[80, 443]');
    expect(formatDefault(['web'])).toBe('["web"]');
  });

  it('a schema change shows up without editing any table (one source)', () => {
    const rule = {
      ...byId('sg-rule-count'),
      options: z.strictObject({ limit: z.number().int().min(2).max(9).default(3).describe('An option added to the schema only.') }),
    };
    expect(renderRule(rule, 'table')).toContain('  limit   integer 2–9  3        An option added to the schema only.');
  });

  it('`rules ID` shows the rule and its options table', () => {
    const out = rulesCommandOutput(allRules, ['sg-count-per-region'], 'table');
    expect(out.split('\n').slice(0, 2)).toEqual([
      'sg-count-per-region: Account-regions do not hold an excessive number of security groups',
      'severity low, category hygiene, on by default; reads securityGroups',
    ]);
    expect(out).toContain(
      [
        'Options (rules.sg-count-per-region.options in the settings file):',
        '  OPTION     TYPE         DEFAULT  MEANING',
        '  warnAbove  integer ≥ 1  50       Above this many groups an account-region is "large": reported at info severity.',
        "  failAbove  integer ≥ 1  100      Above this many groups it is \"excessive\": reported at the rule's severity.",
      ].join('\n'),
    );
    expect(rulesCommandOutput(allRules, ['launch-wizard-sg'], 'table')).toContain('\nOptions: none\n');
  });

  it('`rules --format json` and `--format markdown` carry the options too', () => {
    const json = JSON.parse(renderRules(allRules, 'json')) as { id: string; options: { name: string; type: string; default: unknown; description: string }[] }[];
    const w = json.find((r) => r.id === 'world-open-unauthorized-ports')!;
    expect(w.options.map((o) => [o.name, o.type, o.default])).toEqual([
      ['authorizedTcpPorts', 'integer[] (0–65535)', [80, 443]],
      ['authorizedUdpPorts', 'integer[] (0–65535)', []],
      ['loadBalancerPorts', 'integer[] (0–65535)', [80, 443]],
    ]);
    const one = JSON.parse(rulesCommandOutput(allRules, ['sg-rule-count'], 'json'));
    expect(one).toMatchObject({ id: 'sg-rule-count', needs: ['securityGroups'], options: [{ name: 'maxRules', default: 50, type: 'integer ≥ 1' }] });
    const md = renderRules(allRules, 'markdown');
    expect(md).toContain('| `sg-rule-count` | `maxRules` | integer ≥ 1 | `50` | Most inbound + outbound rules (one per source, as AWS counts them) a group may have. |');
    expect(md).toContain('| `app-tier-from-web-only` | `allowedSourceTiers` | ("lb" \\| "web" \\| "app" \\| "data")[], at least 1 | `["web"]` |');
    expect(rulesCommandOutput(allRules, ['sg-rule-count'], 'markdown')).toContain('| `maxRules` | integer ≥ 1 | `50` |');
  });

  it('globs show several rules; an unknown id is a usage error with the ids or a suggestion', () => {
    expect(JSON.parse(rulesCommandOutput(allRules, ['default-sg-*'], 'json')).map((r: { id: string }) => r.id)).toEqual(['default-sg-has-rules', 'default-sg-in-use']);
    expect(() => rulesCommandOutput(allRules, ['nope'], 'table')).toThrow(UsageError);
    expect(() => rulesCommandOutput(allRules, ['nope'], 'table')).toThrow(`rules nope: unknown rule id; rule ids: ${allRules.map((r) => r.meta.id).join(', ')}`);
    expect(() => rulesCommandOutput(allRules, ['unused'], 'table')).toThrow('rules unused: unknown rule id; did you mean unused-sg?');
    expect(() => rulesCommandOutput(allRules, ['nothing*'], 'table')).toThrow(`rules nothing*: matches no rule; rule ids: ${allRules.map((r) => r.meta.id).join(', ')}`);
  });
});

describe('sg-audit rules (built CLI)', () => {
  beforeAll(() => assertCliBuilt());

  it('rules ID prints the options; an unknown id exits 2 with one line', () => {
    const r = runCli(['rules', 'sg-rule-count'], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  maxRules  integer ≥ 1  50       Most inbound + outbound rules');
    const bad = runCli(['rules', 'unused'], { cwd: ROOT });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('sg-audit: rules unused: unknown rule id; did you mean unused-sg?\n');
  });
});
