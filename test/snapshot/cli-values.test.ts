/**
 * Issue #10 items 7 and 8 through the built CLI: values outside AWS's value space are one line and exit 2
 * with nothing written; raw describe-security-groups output takes its region from SecurityGroupArn.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeSnapshot } from '../../src/snapshot/load.js';
import { proto, region, sg, snapshot } from '../helpers/estate.js';
import { RAW_DESCRIBE as RAW, tempDir, writeInput } from '../helpers/files.js';
import { assertCliBuilt, runCli } from '../helpers/spawn-cli.js';

let dir: string;
beforeAll(() => {
  assertCliBuilt();
  dir = tempDir('cli-values');
});
const run = (args: string[]) => runCli(args, { cwd: dir });

describe('sg-audit scan: AWS value space at the door', () => {
  it('tcp toPort 70000 is exit 2, one line naming the field, no report written', () => {
    const s = JSON.parse(
      serializeSnapshot(snapshot(region({ groups: [sg('sg-1', { ingress: [proto('tcp', 443, 443, '0.0.0.0/0')] })] }))),
    );
    s.regions[0].securityGroups[0].ingress[0].toPort = 70000;
    const file = writeInput(dir, 'bad-port.json', JSON.stringify(s));
    const out = path.join(dir, 'report.json');
    const r = run(['scan', '--input', file, '-f', 'json', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `sg-audit: ${file}: regions[0].securityGroups[0].ingress[0].toPort: expected an integer 0–65535 (got 70000)\n`,
    );
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('--account and --region are checked: exit 2, one line', () => {
    const a = run(['scan', '--input', RAW, '--account', '12345']);
    expect([a.code, a.stderr, a.stdout]).toEqual([
      2,
      'sg-audit: --account: expected a 12-digit AWS account id (got "12345")\n',
      '',
    ]);
    const r = run(['scan', '--input', RAW, '--region', "eu-west-1'; touch /tmp/PWNED #"]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      `sg-audit: --region: expected an AWS region name such as us-east-1 or eu-west-1 (got "eu-west-1'; touch /tmp/PWNED #")\n`,
    );
  });

  it('raw input without --region: region from SecurityGroupArn in the report and its fix commands', () => {
    const r = run(['scan', '--input', RAW, '-f', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.scope.regions).toEqual(['eu-west-1']);
    expect(report.scope.accounts).toEqual(['111122223333']);
    const text = readFileSync(RAW, 'utf8');
    expect(text).toMatch(/"SecurityGroupArn": "arn:aws:ec2:eu-west-1:111122223333:security-group\//);
    const commands: string[] = report.findings.flatMap((f: { remediation?: string[] }) => f.remediation ?? []);
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.every((c) => !c.includes('--region') || c.includes('--region eu-west-1'))).toBe(true);
  });

  it('a --region contradicting the ARN is exit 2 naming the group', () => {
    const r = run(['scan', '--input', RAW, '--region', 'us-east-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `sg-audit: ${RAW}: SecurityGroups[0].SecurityGroupArn: names region eu-west-1, not --region us-east-1 (the ARN says where the group is: drop --region)\n`,
    );
  });
});
