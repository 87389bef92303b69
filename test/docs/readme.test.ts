import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules, defaultRegistry } from '../../rules/index.js';
import { RULE_PAGES_DIR } from '../../src/report/rule-pages.js';
import { README_RULES_BEGIN, README_RULES_END, renderReadmeRules } from '../../src/report/rules-doc.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('rules table and rule page links match the rule metadata (run `npm run docs` to update)', () => {
    const start = readme.indexOf(README_RULES_BEGIN);
    const end = readme.indexOf(README_RULES_END);
    expect(start).toBeGreaterThan(0);
    const rules = defaultRegistry().rules;
    expect(readme.slice(start + README_RULES_BEGIN.length, end).trim(), 'README rules section is stale: run `npm run docs`').toBe(
      renderReadmeRules(rules, RULE_PAGES_DIR).trim(),
    );
    for (const r of rules) expect(readme).toContain(`(${RULE_PAGES_DIR}/${r.meta.id}.md)`);
  });

  it('quick start is exactly two commands: demo scan and the test suite', () => {
    const block = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1].trim().split('\n');
    expect(block).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
    const ci = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toContain('npm ci');
    expect(ci).toContain('npm test');
  });

  it('every rule has complete metadata and messages', () => {
    for (const r of allRules) {
      expect(r.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.meta.title.length, r.meta.id).toBeGreaterThan(5);
      expect(r.meta.rationale.length, r.meta.id).toBeGreaterThan(20);
      expect(r.meta.remediation.length, r.meta.id).toBeGreaterThan(10);
      expect(r.meta.references.length, r.meta.id).toBeGreaterThan(0);
      expect(Object.keys(r.meta.messages).length, r.meta.id).toBeGreaterThan(0);
      if (r.options) expect(() => r.options!.parse({}), r.meta.id).not.toThrow();
    }
  });

  it('each rule lives in rules/<id>.ts', () => {
    for (const r of allRules) {
      const src = readFileSync(path.join(ROOT, 'rules', `${r.meta.id}.ts`), 'utf8');
      expect(src, r.meta.id).toContain(`'${r.meta.id}'`);
    }
  });
});
