import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultSettings } from '../../src/config/schema.js';
import { evaluateRules, formatMessage } from '../../src/engine/evaluate.js';
import { RuleRegistry, splitList } from '../../src/engine/registry.js';
import { defineRule, type Rule } from '../../src/engine/types.js';
import { buildGraph } from '../../src/graph/build.js';
import { evaluateSnapshot } from '../../src/core/scan.js';
import { exitCodeFor } from '../../src/gate/gate.js';
import { UsageError } from '../../src/util/errors.js';
import { all, region, sg, snapshot, tcp, tuples } from '../helpers/estate.js';

function stubRule(id: string, extra: Partial<Rule['meta']> = {}, check?: Rule['check']): Rule {
  return {
    meta: {
      id,
      title: `Stub ${id}`,
      severity: 'medium',
      category: 'least-privilege',
      rationale: 'r',
      remediation: 'm',
      references: [],
      messages: { ok: 'Group {{groupId}} ok.', bad: 'Group {{groupId}} bad on {{port}}.' },
      needs: ['securityGroups'],
      ...extra,
    },
    check:
      check ??
      ((ctx) => {
        for (const g of ctx.graph.groups) {
          ctx.report({
            messageId: g.ingress.length ? 'bad' : 'ok',
            status: g.ingress.length ? 'fail' : 'pass',
            accountId: g.accountId,
            region: g.region,
            resource: { type: 'security-group', id: g.id },
            data: { groupId: g.id, port: 22 },
          });
        }
      }),
  };
}

const snap = snapshot(region({ groups: [sg('sg-a'), sg('sg-b', { ingress: [tcp(22, '0.0.0.0/0')] })] }));

describe('evaluate', () => {
  it('records passes and fails with formatted messages', () => {
    const findings = evaluateRules(buildGraph(snap, defaultSettings()), [stubRule('stub')]).findings;
    expect(tuples(findings)).toEqual([
      ['fail', 'stub', 'bad', 'sg-b'],
      ['pass', 'stub', 'ok', 'sg-a'],
    ]);
    expect(findings.find((f) => f.resource.id === 'sg-b')!.message).toBe('Group sg-b bad on 22.');
  });

  it('turns a throwing rule into one error finding and keeps other rules running', () => {
    const boom = stubRule('boom', {}, () => {
      throw new Error('kaput');
    });
    const findings = evaluateRules(buildGraph(snap, defaultSettings()), [boom, stubRule('stub')]).findings;
    expect(tuples(findings)).toEqual([
      ['error', 'boom', 'ruleError', 'boom'],
      ['fail', 'stub', 'bad', 'sg-b'],
      ['pass', 'stub', 'ok', 'sg-a'],
    ]);
    expect(findings[0].message).toContain('kaput');
  });

  it('discards partial results of a rule that throws half-way (unknown is never a pass)', () => {
    const half = stubRule('half', {}, (ctx) => {
      ctx.report({
        messageId: 'ok',
        status: 'pass',
        accountId: '1',
        region: 'r',
        resource: { type: 'security-group', id: 'sg-a' },
      });
      throw new Error('later');
    });
    expect(tuples(evaluateRules(buildGraph(snap, defaultSettings()), [half]).findings)).toEqual([
      ['error', 'half', 'ruleError', 'half'],
    ]);
  });

  it('treats an unknown messageId as a rule error', () => {
    const bad = stubRule('bad', {}, (ctx) =>
      ctx.report({
        messageId: 'nope',
        status: 'fail',
        accountId: '1',
        region: 'r',
        resource: { type: 'security-group', id: 'x' },
      }),
    );
    expect(tuples(evaluateRules(buildGraph(snap, defaultSettings()), [bad]).findings)).toEqual([
      ['error', 'bad', 'ruleError', 'bad'],
    ]);
  });

  it('ctx.pass builds pass details only when passes are listed, and counts them otherwise', () => {
    let built = 0;
    const lazy = stubRule('lazy', {}, (ctx) => {
      for (const g of ctx.graph.groups) {
        if (g.ingress.length) {
          ctx.report({
            messageId: 'bad',
            status: 'fail',
            accountId: g.accountId,
            region: g.region,
            resource: { type: 'security-group', id: g.id },
            data: { groupId: g.id, port: 22 },
            remediation: ['fix'],
          });
        } else {
          ctx.pass('ok', () => {
            built++;
            return {
              accountId: g.accountId,
              region: g.region,
              resource: { type: 'security-group', id: g.id },
              data: { groupId: g.id },
            };
          });
        }
      }
    });
    const graph = buildGraph(snap, defaultSettings());
    const listed = evaluateRules(graph, [lazy]).findings;
    expect(tuples(listed)).toEqual([
      ['fail', 'lazy', 'bad', 'sg-b'],
      ['pass', 'lazy', 'ok', 'sg-a'],
    ]);
    const pass = listed.find((f) => f.status === 'pass')!;
    expect(pass).toMatchObject({
      message: 'Group sg-a ok.',
      related: [],
      remediation: [],
      data: { groupId: 'sg-a' },
      severity: 'medium',
    });
    expect(built).toBe(1);

    const counted = evaluateRules(graph, [lazy], { keepPasses: false });
    expect(tuples(counted.findings)).toEqual([['fail', 'lazy', 'bad', 'sg-b']]);
    expect(counted.unlistedPasses).toEqual({ lazy: 1 });
    expect(built).toBe(1);
  });

  it('checks the messageId of a counted pass too', () => {
    const bad = stubRule('bad', {}, (ctx) =>
      ctx.pass('nope', () => ({ accountId: '1', region: 'r', resource: { type: 'security-group', id: 'x' } })),
    );
    const r = evaluateRules(buildGraph(snap, defaultSettings()), [bad], { keepPasses: false });
    expect(tuples(r.findings)).toEqual([['error', 'bad', 'ruleError', 'bad']]);
    expect(r.findings[0].message).toContain(`unknown messageId 'nope'`);
    expect(r.unlistedPasses).toEqual({});
  });

  it('applies severity overrides from settings over per-finding severities', () => {
    const r = stubRule('sev', {}, (ctx) =>
      ctx.report({
        messageId: 'ok',
        status: 'fail',
        severity: 'low',
        accountId: '1',
        region: 'r',
        resource: { type: 'security-group', id: 'x' },
      }),
    );
    const s = defaultSettings();
    expect(evaluateRules(buildGraph(snap, s), [r]).findings[0].severity).toBe('low');
    s.rules.sev = { severity: 'critical' };
    expect(evaluateRules(buildGraph(snap, s), [r]).findings[0].severity).toBe('critical');
  });

  it('turns collection errors into error findings', () => {
    const s = snapshot(
      region({ errors: [{ api: 'ec2:DescribeNetworkInterfaces', code: 'UnauthorizedOperation', message: 'denied' }] }),
    );
    s.errors.push({ accountId: '999999999999', api: 'sts:AssumeRole', code: 'AccessDenied', message: 'no' });
    expect(tuples(evaluateRules(buildGraph(s, defaultSettings()), []).findings)).toEqual([
      ['error', 'collection-error', 'collectionError', '111111111111/us-east-1'],
      ['error', 'collection-error', 'collectionError', '999999999999/*'],
    ]);
  });

  it('passes validated options with defaults to the rule', () => {
    const seen: unknown[] = [];
    const r = defineRule({
      meta: stubRule('opts').meta,
      options: z.object({ limit: z.number().default(50) }),
      check: (ctx) => {
        seen.push(ctx.options.limit);
      },
    }) as unknown as Rule;
    const s = defaultSettings();
    evaluateRules(buildGraph(snap, s), [r]);
    s.rules.opts = { options: { limit: 7 } };
    evaluateRules(buildGraph(snap, s), [r]);
    expect(seen).toEqual([50, 7]);
  });

  it('fills message placeholders and leaves unknown ones visible', () => {
    expect(formatMessage('{{a}} and {{ b }} and {{c}}', { a: 1, b: 'x' })).toBe('1 and x and {{c}}');
  });
});

describe('registry selection', () => {
  const reg = new RuleRegistry([
    stubRule('web-tier-sg'),
    stubRule('data-tier-sg'),
    stubRule('egress-all', { defaultEnabled: false }),
  ]);
  const ids = (rules: Rule[]) => rules.map((r) => r.meta.id);

  it('runs default-enabled rules', () => {
    expect(ids(reg.select(defaultSettings()))).toEqual(['web-tier-sg', 'data-tier-sg']);
  });
  it('selects by id or glob, and --rules can run an opt-in rule', () => {
    expect(ids(reg.select(defaultSettings(), ['*-tier-sg']))).toEqual(['web-tier-sg', 'data-tier-sg']);
    expect(ids(reg.select(defaultSettings(), ['egress-all']))).toEqual(['egress-all']);
  });
  it('skips by glob and honours settings enabled flags', () => {
    const s = defaultSettings();
    s.rules['egress-all'] = { enabled: true };
    s.rules['web-tier-sg'] = { enabled: false };
    expect(ids(reg.select(s, [], ['data-*']))).toEqual(['egress-all']);
  });
  it('rejects a pattern that matches no rule', () => {
    expect(() => reg.select(defaultSettings(), ['nope'])).toThrow(UsageError);
    expect(() => reg.select(defaultSettings(), [], ['nope*'])).toThrow('--skip-rules nope*: matches no rule');
  });
  it('rejects duplicate ids', () => {
    expect(() => new RuleRegistry([stubRule('x'), stubRule('x')])).toThrow('duplicate rule id x');
  });
  it('splits comma-separated repeatable values', () => {
    expect(splitList(['a,b', ' c ', ''])).toEqual(['a', 'b', 'c']);
  });
});

describe('exit codes', () => {
  const prepared = (rules: Rule[]) => ({
    settings: defaultSettings(),
    rules,
    needs: new Set(['securityGroups'] as const),
  });
  it('is 0 when everything passes, 1 on a failure, 3 when incomplete without failures', () => {
    const clean = snapshot(region({ groups: [sg('sg-a')] }));
    expect(exitCodeFor(evaluateSnapshot(clean, prepared([stubRule('s')])).report)).toBe(0);
    expect(exitCodeFor(evaluateSnapshot(snap, prepared([stubRule('s')])).report)).toBe(1);
    const broken = snapshot(
      region({ groups: [sg('sg-a', { egress: [all('0.0.0.0/0')] })], errors: [{ api: 'x', code: 'y', message: 'z' }] }),
    );
    expect(exitCodeFor(evaluateSnapshot(broken, prepared([stubRule('s')])).report)).toBe(3);
  });
});
