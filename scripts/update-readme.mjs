// Rewrites the README rules tables (rules and their options) from the rule metadata and option schemas (run: npm run docs).
import { readFileSync, writeFileSync } from 'node:fs';
import { allRules } from '../dist/rules/index.js';
import { README_RULES_BEGIN, README_RULES_END, renderRules } from '../dist/src/report/rules-doc.js';

const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const start = readme.indexOf(README_RULES_BEGIN);
const end = readme.indexOf(README_RULES_END);
if (start < 0 || end < start) throw new Error('README.md: rules markers not found');
const next = readme.slice(0, start + README_RULES_BEGIN.length) + '\n' + renderRules(allRules, 'markdown') + readme.slice(end);
writeFileSync(file, next);
console.log(next === readme ? 'README.md rules tables are up to date' : 'README.md rules tables updated');
