/**
 * Issue #10: remediation commands are data for a shell. Every command of every rule, over a hostile
 * estate (test/rules/hostile-estate.ts), is run by a real `/bin/sh -c` whose PATH starts with a stub `aws`
 * that records its argv. Nothing but `aws` may run (no file appears, the shell prints nothing), each command
 * runs `aws` exactly once, with exactly the arguments the builder meant; `# No command` lines run nothing.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../rules/lib/aws-cli.js';
import { allRules } from '../../rules/index.js';
import { evaluateRules } from '../../src/engine/evaluate.js';
import { NO_COMMAND } from '../../src/engine/remediation.js';
import type { Finding } from '../../src/engine/types.js';
import { buildGraph } from '../../src/graph/build.js';
import { APP, HOSTILE, hostileSettings, hostileSnapshot, OPEN, PWNED } from './hostile-estate.js';

let tmp: string;
let work: string;
let log: string;

/** The stub: one `\x01RUN` record per call, then each argument, all NUL-terminated. */
const STUB = `#!/bin/sh
printf '\\001RUN\\000' >> "$AWS_LOG"
for a in "$@"; do printf '%s\\000' "$a" >> "$AWS_LOG"; done
`;

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'sg-audit-shell-'));
  work = path.join(tmp, 'work');
  mkdirSync(work);
  mkdirSync(path.join(tmp, 'bin'));
  writeFileSync(path.join(tmp, 'bin', 'aws'), STUB);
  chmodSync(path.join(tmp, 'bin', 'aws'), 0o755);
  log = path.join(tmp, 'aws.log');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run one remediation line as a user pasting it would; the argv of each `aws` call it made. */
function runInShell(line: string): { calls: string[][]; stderr: string; status: number | null } {
  writeFileSync(log, '');
  const r = spawnSync('/bin/sh', ['-c', line], {
    cwd: work,
    env: { PATH: `${path.join(tmp, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, AWS_LOG: log },
    encoding: 'utf8',
  });
  const calls: string[][] = [];
  for (const field of readFileSync(log, 'utf8').split('\0').slice(0, -1)) {
    if (field === '\x01RUN') calls.push([]);
    else calls[calls.length - 1].push(field);
  }
  return { calls, stderr: r.stderr, status: r.status };
}

/** Nothing but the stub ran: no file in the working directory, none next to it, none in /tmp. */
function expectNothingElseRan(): void {
  expect(readdirSync(work)).toEqual([]);
  expect(readdirSync(tmp).sort()).toEqual(['aws.log', 'bin', 'work']);
  expect(existsSync(path.join('/tmp', PWNED))).toBe(false);
  expect(process.cwd()).not.toBe(work);
}

const NASTY = [
  '',
  "'",
  "it's",
  "''",
  `$(touch ${PWNED})`,
  `\`touch ${PWNED}\``,
  `; touch ${PWNED} #`,
  `x\ntouch ${PWNED}`,
  `x\r\ntouch ${PWNED}`,
  '"$HOME" \\ \\\' *',
  '~root',
  '=touch',
  '!!',
  '{a,b}',
  `a && touch ${PWNED} || touch ${PWNED}`,
  `>${PWNED}`,
  `<${PWNED}>`,
  '-n',
  ' leading and trailing ',
  '\ttab',
  'é ✓ 中',
];

describe('shellQuote: one word the shell turns back into exactly the value', () => {
  it.each(NASTY.map((s) => [JSON.stringify(s), s]))('%s', (_label, s) => {
    const r = runInShell(`aws ${shellQuote(s)}`);
    expect(r).toEqual({ calls: [[s]], stderr: '', status: 0 });
    expectNothingElseRan();
  });
});

describe('every remediation command of a hostile estate, through /bin/sh with a stub aws', () => {
  let findings: Finding[];
  beforeAll(() => {
    findings = evaluateRules(buildGraph(hostileSnapshot(tmp), hostileSettings()), allRules).findings;
  });

  it('no rule fails on the hostile values', () => {
    expect(findings.filter((f) => f.messageId === 'ruleError').map((f) => f.message)).toEqual([]);
  });

  it('each command runs aws once with the arguments its text quotes, and nothing else runs', () => {
    const lines = [...new Set(findings.flatMap((f) => f.remediation))];
    const commands = lines.filter((l) => !l.startsWith(NO_COMMAND));
    // Not vacuous: valid ids next to hostile text still get their commands.
    expect(commands.length).toBeGreaterThanOrEqual(12);
    for (const line of lines) {
      const r = runInShell(line);
      expect({ line, stderr: r.stderr, status: r.status }).toEqual({ line, stderr: '', status: 0 });
      expectNothingElseRan();
      if (line.startsWith(NO_COMMAND)) {
        expect({ line, calls: r.calls }).toEqual({ line, calls: [] });
        continue;
      }
      expect(r.calls).toHaveLength(1);
      // The text is exactly the quoting of what aws received: nothing was lost, split or added.
      expect(['aws', ...r.calls[0]].map(shellQuote).join(' ')).toBe(line);
    }
  });

  it('hostile values in free text (names, tags from the config) reach aws as one exact argument', () => {
    const argvOf = (ruleId: string, resourceId: string, index = 0) => {
      const f = findings.find((x) => x.ruleId === ruleId && x.resource.id === resourceId && x.status === 'fail');
      expect(f, `${ruleId} ${resourceId}`).toBeDefined();
      return runInShell(f!.remediation[index]).calls;
    };
    // A group with a hostile name and rule description: the revocation names only the id and the rule.
    expect(argvOf('world-open-admin-ports', OPEN)).toEqual([
      [
        'ec2',
        'revoke-security-group-ingress',
        '--region',
        'us-east-1',
        '--group-id',
        OPEN,
        '--ip-permissions',
        JSON.stringify([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]),
      ],
    ]);
    // The web tier's tag comes from the config, quotes, `$(…)`, commas and all: JSON, one argument.
    expect(argvOf('web-tier-sg', '111111111111/us-east-1', 2)).toEqual([
      [
        'ec2',
        'create-tags',
        '--region',
        'us-east-1',
        '--resources',
        '<new-web-tier-sg-id>',
        '--tags',
        JSON.stringify([{ Key: HOSTILE.tagKey, Value: HOSTILE.tagValue }]),
      ],
    ]);
    expect(argvOf('web-tier-sg', '111111111111/us-east-1', 3)).toEqual([
      [
        'ec2',
        'modify-network-interface-attribute',
        '--region',
        'us-east-1',
        '--network-interface-id',
        'eni-00000000000000001',
        '--groups',
        '<new-web-tier-sg-id>',
      ],
    ]);
    expect(argvOf('unused-sg', APP)).toEqual([
      ['ec2', 'delete-security-group', '--region', 'us-east-1', '--group-id', APP],
    ]);
  });

  it('a hostile id or region gives no command, only the reason; the finding still reports', () => {
    const hostile = /['"$`;\n\\ ]/;
    const touched = findings.filter(
      (f) => f.status !== 'pass' && (hostile.test(f.resource.id) || hostile.test(f.region)),
    );
    expect(touched.length).toBeGreaterThanOrEqual(20);
    for (const f of touched) {
      expect({
        rule: f.ruleId,
        id: f.resource.id,
        remediation: f.remediation.filter((l) => !l.startsWith(NO_COMMAND)),
      }).toEqual({
        rule: f.ruleId,
        id: f.resource.id,
        remediation: [],
      });
      expect(f.remediation.length).toBeGreaterThan(0);
    }
    const unused = (id: string) => findings.find((f) => f.ruleId === 'unused-sg' && f.resource.id === id)?.remediation;
    for (const id of [HOSTILE.quote, HOSTILE.subst, HOSTILE.backtick]) {
      expect(unused(id)).toEqual(['# No command: the security group id is not an AWS security group id (sg-…).']);
    }
    expect(unused('sg-00000000000000004')).toEqual(['# No command: the region is not an AWS region name.']);
    // A fix sequence with one bad value is dropped whole (the default group's VPC, ENI, LB ARN, cluster id).
    expect(findings.find((f) => f.ruleId === 'default-sg-in-use' && f.status === 'fail')?.remediation).toEqual([
      '# No command: the VPC id is not an AWS VPC id (vpc-…).',
      '# No command: the network interface id is not an AWS network interface id (eni-…).',
      '# No command: the load balancer ARN is not an ELBv2 load balancer ARN.',
      '# No command: the DB cluster identifier is not an RDS identifier (a letter, then letters, digits and single hyphens).',
    ]);
    expect(
      findings.find((f) => f.ruleId === 'rds-storage-encrypted' && f.resource.id === 'inventory')?.remediation,
    ).toEqual(['# No command: the DB engine is not an RDS engine name.']);
  });
});
