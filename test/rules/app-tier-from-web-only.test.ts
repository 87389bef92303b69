import { describe, expect, it } from 'vitest';
import { appTierFromWebOnly as rule } from '../../rules/app-tier-from-web-only.js';
import { all, OTHER_ACCOUNT, region, sg, snapshot, tcp } from '../helpers/estate.js';
import { ruleTester, withOptions } from '../helpers/rule-tester.js';
import { exposureUnknown } from '../helpers/exposure.js';

const ID = 'app-tier-from-web-only';
const t = ruleTester(rule);
const web = sg('sg-web', { tier: 'web' });
const lbg = sg('sg-lb', { tier: 'lb' });
const plain = sg('sg-plain');
const app = (ingress: ReturnType<typeof tcp>[]) => sg('sg-app', { tier: 'app', ingress });
const estate = (ingress: ReturnType<typeof tcp>[]) => snapshot(region({ groups: [web, lbg, plain, app(ingress)] }));

describe(ID, () => {
  t.run(
    t.each(
      [
        ['the web tier', [tcp(8080, 'sg-web')]],
        ['no ingress at all', []],
        ['itself (app servers talking to each other)', [all('sg-app'), tcp(8080, 'sg-web')]],
      ],
      (_name, ingress) => ({
        name: `admitting ${_name} passes`,
        snapshot: estate(ingress),
        passes: [{ messageId: 'webOnly', resource: 'sg-app' }],
        findings: [],
      }),
    ),
  );

  t.run(
    t.each(
      [
        ['a private CIDR', [tcp(8080, '10.0.0.0/8')]],
        ['the world', [tcp(8080, '0.0.0.0/0')]],
        ['::/0', [tcp(8080, '::/0')]],
        ['a prefix list', [tcp(8080, 'pl-1')]],
        ['an untagged group', [tcp(8080, 'sg-plain')]],
        ['the lb tier (not allowed by default)', [tcp(8080, 'sg-lb')]],
      ],
      (_name, ingress) => ({
        name: `admitting ${_name} fails`,
        snapshot: estate(ingress),
        passes: [],
        findings: [{ messageId: 'otherSources', resource: 'sg-app' }],
      }),
    ),
  );

  it('only app-tier groups are evaluated', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-x', { ingress: [tcp(22, '0.0.0.0/0')] }),
          sg('sg-w', { tier: 'web', ingress: [tcp(80, '10.0.0.0/8')] }),
        ],
      }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [] });
  });

  it('a web-tier group in another scanned account counts as web tier', () => {
    const snap = snapshot(
      region({ groups: [app([tcp(8080, `${OTHER_ACCOUNT}/sg-peer-web`)])] }),
      region({ accountId: OTHER_ACCOUNT, groups: [sg('sg-peer-web', { tier: 'web' })] }),
    );
    t.assert({ snapshot: snap, passes: [{ messageId: 'webOnly', resource: 'sg-app' }], findings: [] });
  });

  it('a group outside the scanned estate cannot be verified: low-severity failure, not a pass', () => {
    const snap = snapshot(
      region({ groups: [app([tcp(8080, `${OTHER_ACCOUNT}/sg-unknown`), tcp(8080, 'sg-web')]), web] }),
    );
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'unverifiedSources', resource: 'sg-app' }] });
    const f = t.finding(snap, 'sg-app');
    expect(f.severity).toBe('low');
    expect(f.data).toMatchObject({ sources: `tcp 8080 from ${OTHER_ACCOUNT}/sg-unknown` });
    expect(f.remediation).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-app --ip-permissions '[{"IpProtocol":"tcp","FromPort":8080,"ToPort":8080,"UserIdGroupPairs":[{"GroupId":"sg-unknown","UserId":"${OTHER_ACCOUNT}"}]}]'`,
    ]);
  });

  it('reports once per group, listing every offending source at medium severity', () => {
    const snap = snapshot(
      region({ groups: [web, plain, app([tcp(8080, 'sg-web', '10.0.0.0/8', 'sg-plain'), tcp(22, '0.0.0.0/0')])] }),
    );
    // Exposure unknown (interfaces not collected): the rule's own severity and message (test/helpers/exposure.ts).
    exposureUnknown(snap);
    t.assert({ snapshot: snap, passes: [], findings: [{ messageId: 'otherSources', resource: 'sg-app' }] });
    const f = t.finding(snap, 'sg-app');
    expect(f.severity).toBe('medium');
    expect(f.data).toMatchObject({
      sources: 'tcp 8080 from 10.0.0.0/8, tcp 8080 from sg-plain, tcp 22 from 0.0.0.0/0',
    });
    expect(f.remediation).toEqual([
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-app --ip-permissions '[{"IpProtocol":"tcp","FromPort":8080,"ToPort":8080,"IpRanges":[{"CidrIp":"10.0.0.0/8"}],"UserIdGroupPairs":[{"GroupId":"sg-plain"}]},{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
    ]);
  });

  it('options: allowed source tiers and self references', () => {
    t.assert({
      snapshot: estate([tcp(8080, 'sg-lb')]),
      settings: withOptions(ID, { allowedSourceTiers: ['web', 'lb'] }),
      passes: [{ messageId: 'webOnly', resource: 'sg-app' }],
      findings: [],
    });
    t.assert({
      snapshot: estate([all('sg-app')]),
      settings: withOptions(ID, { allowSelf: false }),
      passes: [],
      findings: [{ messageId: 'otherSources', resource: 'sg-app' }],
    });
    expect(() => rule.options!.parse({ allowedSourceTiers: ['dmz'] })).toThrow();
  });

  it('tier tags follow settings.tiers', () => {
    const snap = snapshot(
      region({
        groups: [
          sg('sg-w', { tags: { Layer: 'front' } }),
          sg('sg-a', { tags: { Layer: 'middle' }, ingress: [tcp(8080, 'sg-w')] }),
        ],
      }),
    );
    const settings = {
      ...withOptions(ID, {}),
      tiers: { lb: [], web: [{ key: 'Layer', value: 'front' }], app: [{ key: 'Layer', value: 'middle' }], data: [] },
    };
    t.assert({
      snapshot: snap,
      settings: settings,
      passes: [{ messageId: 'webOnly', resource: 'sg-a' }],
      findings: [],
    });
  });
});
