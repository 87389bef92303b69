// Scaffolds a rule: npm run new-rule -- <id> [--pack <pack>]
// Writes rules/<id>.ts (a working rule to edit), test/rules/<id>.test.ts (its ruleTester cases),
// docs/examples/<id>.yaml (the failing and passing example of its page), and appends the rule to
// rules/packs/<pack>.ts (default: least-privilege). The id must be kebab-case and not taken. See CONTRIBUTING.md.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const at = (p) => new URL(p, root);
const fail = (msg) => {
  console.error(`new-rule: ${msg}`);
  process.exit(2);
};

const args = process.argv.slice(2);
let pack = 'least-privilege';
const rest = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--pack') pack = args[++i] ?? fail('--pack needs a pack name');
  else if (args[i].startsWith('--pack=')) pack = args[i].slice('--pack='.length);
  else rest.push(args[i]);
}
if (rest.length !== 1) fail('usage: npm run new-rule -- <id> [--pack <pack>], e.g. npm run new-rule -- sg-no-tags');
const id = rest[0];

if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(id)) {
  fail(`'${id}' is not a rule id: kebab-case, two words or more, lowercase letters and digits (sg-no-description)`);
}
const packs = readdirSync(at('rules/packs/'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
if (!packs.includes(pack)) fail(`no pack '${pack}'; packs: ${packs.join(', ')}`);
const ruleFile = `rules/${id}.ts`;
const testFile = `test/rules/${id}.test.ts`;
const exampleFile = `docs/examples/${id}.yaml`;
for (const f of [ruleFile, testFile, exampleFile]) {
  if (existsSync(at(f))) fail(`${f} exists: rule ids are unique and never reused`);
}
// Ids are never reused: also refuse an id that some rule file declares.
for (const f of readdirSync(at('rules/')).filter((n) => n.endsWith('.ts'))) {
  if (readFileSync(at(`rules/${f}`), 'utf8').includes(`id: '${id}'`)) fail(`rules/${f} already declares id '${id}'`);
}

const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const CATEGORY = {
  tier: 'data-tier',
  'least-privilege': 'least-privilege',
  'app-tier': 'app-tier',
  rds: 'rds',
  hygiene: 'hygiene',
};
const category = CATEGORY[pack] ?? 'least-privilege';

const rule = `/**
 * ${id}: TODO one paragraph — what the rule checks and why a group that fails it is a problem.
 */
import { defineRule, describeSource, sgFailure, sgPassDetails, type GroupNode } from './lib/index.js';

/**
 * TODO: the condition (this placeholder: inbound from 192.0.2.0/24, an address range reserved for
 * documentation). Pure: it reads the graph only (no I/O, no clock, no randomness).
 */
const offends = (g: GroupNode): boolean =>
  g.ingress.some((e) => e.source.kind === 'cidr' && describeSource(e.source) === '192.0.2.0/24');

export const ${camel} = defineRule({
  meta: {
    id: '${id}',
    title: 'TODO: what a compliant security group looks like',
    severity: 'low',
    category: '${category}',
    rationale: 'TODO: why this matters, in a sentence or two (shown in reports and on the rule page).',
    remediation: 'TODO: how to fix a failing group, in general terms.',
    references: [{ title: 'TODO: the control or AWS page this rule follows', url: 'https://docs.aws.amazon.com/' }],
    messages: {
      // One template per message id; {{name}} is filled from the finding's data.
      violation: 'Security group {{group}} ({{groupName}}) TODO: what is wrong.',
      compliant: 'Security group {{group}} ({{groupName}}) TODO: what is right.',
    },
    needs: ['securityGroups'],
  },
  check({ graph, report, pass }) {
    for (const g of graph.groups) {
      const data = { group: g.id, groupName: g.name };
      if (offends(g)) report(sgFailure(g, 'violation', data, []));
      else pass('compliant', () => sgPassDetails(g, data));
    }
  },
});
`;

const test = `import { describe } from 'vitest';
import { ${camel} as rule } from '../../rules/${id}.js';
import { region, sg, snapshot, tcp } from '../helpers/estate.js';
import { ruleTester } from '../helpers/rule-tester.js';

const t = ruleTester(rule);

describe('${id}', () => {
  t.run({
    valid: [
      { name: 'empty estate', snapshot: snapshot(), passes: [] },
      {
        name: 'a group open to a private range',
        snapshot: snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(443, '10.0.0.0/8')] })] })),
        passes: [{ messageId: 'compliant', resource: 'sg-1' }],
      },
    ],
    invalid: [
      {
        name: 'a group open to 192.0.2.0/24',
        snapshot: snapshot(region({ groups: [sg('sg-1', { ingress: [tcp(443, '192.0.2.0/24')] })] })),
        passes: [],
        findings: [
          { messageId: 'violation', resource: 'sg-1', message: 'Security group sg-1 (1) TODO: what is wrong.' },
        ],
      },
    ],
  });
});
`;

const example = `fail:
  messageId: violation
  note: TODO one sentence on why this group fails.
  estate:
    securityGroups:
      - groupId: sg-11111111
        groupName: docs
        ingress:
          - { protocol: tcp, fromPort: 443, toPort: 443, ipv4: [{ cidr: 192.0.2.0/24 }] }
pass:
  messageId: compliant
  estate:
    securityGroups:
      - groupId: sg-11111111
        groupName: web
        ingress:
          - { protocol: tcp, fromPort: 443, toPort: 443, ipv4: [{ cidr: 10.0.0.0/8 }] }
`;

// The pack line: an import after the pack's last rule import, and the rule at the end of its list.
const packFile = `rules/packs/${pack}.ts`;
const src = readFileSync(at(packFile), 'utf8');
const imports = [...src.matchAll(/^import \{ \w+ \} from '\.\.\/[\w-]+\.js';\n/gm)];
const close = src.lastIndexOf('\n];');
if (!imports.length || close < 0) fail(`${packFile}: expected rule imports and a '];'-terminated list`);
const last = imports[imports.length - 1];
const afterImports = last.index + last[0].length;
const packed =
  src.slice(0, afterImports) +
  `import { ${camel} } from '../${id}.js';\n` +
  src.slice(afterImports, close) +
  `\n  ${camel},` +
  src.slice(close);

writeFileSync(at(ruleFile), rule);
writeFileSync(at(testFile), test);
writeFileSync(at(exampleFile), example);
writeFileSync(at(packFile), packed);
for (const f of [ruleFile, testFile, exampleFile]) console.log(`${f}: written`);
console.log(`${packFile}: ${camel} added at the end (report order)`);
console.log(`next: npx vitest run ${testFile}, then the steps in CONTRIBUTING.md ("Adding a rule")`);
