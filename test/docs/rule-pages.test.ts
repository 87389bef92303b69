/**
 * docs/rules/<id>.md: one page per rule in the registry, generated from its metadata, options schema and
 * docs/examples/<id>.yaml. The examples prove the page's claims (the failing one fails with its message
 * id, the passing one passes), and a committed page that differs from what the code generates fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../rules/index.js';
import {
  parseRuleExamples,
  renderRulePage,
  RULE_EXAMPLES_DIR,
  RULE_PAGES_DIR,
  runExample,
  type RuleExamples,
} from '../../src/report/rule-pages.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const rules = defaultRegistry().rules;
const STALE = 'is stale: run `npm run docs` (it rebuilds and regenerates docs/rules/*.md and the README rules table)';

function examplesOf(id: string): RuleExamples {
  const file = `${RULE_EXAMPLES_DIR}/${id}.yaml`;
  const full = path.join(ROOT, file);
  if (!existsSync(full)) throw new Error(`${file} is missing: write a failing and a passing example (see CONTRIBUTING.md)`);
  return parseRuleExamples(readFileSync(full, 'utf8'), id, file);
}

describe.each(rules.map((r) => [r.meta.id, r] as const))('docs/rules/%s.md', (id, rule) => {
  it('the failing example fails with its message id', () => {
    const { fail } = examplesOf(id);
    expect(Object.keys(rule.meta.messages)).toContain(fail.messageId);
    const findings = runExample(rule, fail);
    expect(findings.filter((f) => f.status === 'fail').map((f) => f.messageId)).toContain(fail.messageId);
    expect(findings.filter((f) => f.messageId === fail.messageId).map((f) => f.status)).not.toContain('pass');
  });

  it('the passing example passes (nothing fails, nothing is unknown)', () => {
    const { pass } = examplesOf(id);
    expect(Object.keys(rule.meta.messages)).toContain(pass.messageId);
    const findings = runExample(rule, pass);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => [f.status, f.messageId])).toEqual(findings.map(() => ['pass', pass.messageId]));
  });

  it(`is what the code generates (else it ${STALE})`, () => {
    const file = path.join(ROOT, RULE_PAGES_DIR, `${id}.md`);
    expect(existsSync(file), `${RULE_PAGES_DIR}/${id}.md is missing: run \`npm run docs\``).toBe(true);
    expect(readFileSync(file, 'utf8'), `${RULE_PAGES_DIR}/${id}.md ${STALE}`).toBe(renderRulePage(rule, examplesOf(id)));
  });
});

describe('rule pages', () => {
  it('there is no page or example for a rule the registry does not hold', () => {
    const ids = rules.map((r) => r.meta.id).sort();
    const names = (dir: string, ext: string) =>
      readdirSync(path.join(ROOT, dir))
        .filter((n) => n.endsWith(ext))
        .map((n) => n.slice(0, -ext.length))
        .sort();
    expect(names(RULE_PAGES_DIR, '.md'), `a page without a rule ${STALE}`).toEqual(ids);
    expect(names(RULE_EXAMPLES_DIR, '.yaml')).toEqual(ids);
  });

  it('a page shows both examples, the messages the rule really reports and every option', () => {
    const page = readFileSync(path.join(ROOT, RULE_PAGES_DIR, 'sg-rule-count.md'), 'utf8');
    expect(page).toContain('# `sg-rule-count`: Security groups have a reviewable number of rules');
    expect(page).toContain('| `maxRules` | integer ≥ 1 | `50` |');
    expect(page).toContain('Result: **fail**, message `tooMany`:');
    expect(page).toContain('> Security group sg-11111111 (partners) has 3 rules (3 inbound, 0 outbound), more than 2.');
    expect(page).toContain('Result: **pass**, message `ok`:');
  });
});
