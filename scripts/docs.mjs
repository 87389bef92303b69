// Regenerates the docs that come from the code (run: npm run docs, which builds first): the README rules
// table and docs/rules/<id>.md for every rule in the registry, from its metadata, options schema and
// docs/examples/<id>.yaml. test/docs/rule-pages.test.ts and readme.test.ts fail when these are stale.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { defaultRegistry } from '../dist/rules/index.js';
import { README_RULES_BEGIN, README_RULES_END, renderReadmeRules } from '../dist/src/report/rules-doc.js';
import { parseRuleExamples, renderRulePage, RULE_EXAMPLES_DIR, RULE_PAGES_DIR } from '../dist/src/report/rule-pages.js';

const root = new URL('..', import.meta.url);
const at = (p) => new URL(p, root);
const rules = defaultRegistry().rules;
let changed = 0;
const write = (path, text) => {
  const old = existsSync(at(path)) ? readFileSync(at(path), 'utf8') : undefined;
  if (old === text) return;
  writeFileSync(at(path), text);
  console.log(`${path}: ${old === undefined ? 'written' : 'updated'}`);
  changed++;
};

const readme = readFileSync(at('README.md'), 'utf8');
const start = readme.indexOf(README_RULES_BEGIN);
const end = readme.indexOf(README_RULES_END);
if (start < 0 || end < start) throw new Error('README.md: rules markers not found');
write(
  'README.md',
  readme.slice(0, start + README_RULES_BEGIN.length) +
    '\n' +
    renderReadmeRules(rules, RULE_PAGES_DIR) +
    readme.slice(end),
);

mkdirSync(at(`${RULE_PAGES_DIR}/`), { recursive: true });
const missing = [];
for (const rule of rules) {
  const file = `${RULE_EXAMPLES_DIR}/${rule.meta.id}.yaml`;
  if (!existsSync(at(file))) {
    missing.push(file);
    continue;
  }
  write(
    `${RULE_PAGES_DIR}/${rule.meta.id}.md`,
    renderRulePage(rule, parseRuleExamples(readFileSync(at(file), 'utf8'), rule.meta.id, file)),
  );
}
// A page whose rule is gone goes too.
const ids = new Set(rules.map((r) => `${r.meta.id}.md`));
for (const name of readdirSync(at(`${RULE_PAGES_DIR}/`))) {
  if (name.endsWith('.md') && !ids.has(name)) {
    rmSync(at(`${RULE_PAGES_DIR}/${name}`));
    console.log(`${RULE_PAGES_DIR}/${name}: removed (no such rule)`);
    changed++;
  }
}
console.log(changed ? `${changed} file(s) changed` : 'docs are up to date');
if (missing.length) {
  console.error(`no examples for: ${missing.join(', ')} — write a failing and a passing example (see CONTRIBUTING.md)`);
  process.exitCode = 1;
}
