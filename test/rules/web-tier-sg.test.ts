import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/config/schema.js';
import { webTierSg } from '../../rules/web-tier-sg.js';
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  all,
  eni,
  lb,
  region,
  runRules,
  settingsWith,
  settingsWithTiers,
  sg,
  snapshot,
  tcp,
} from '../helpers/estate.js';
import { ruleTester, type InvalidCase, type ValidCase } from '../helpers/rule-tester.js';
import { exposureUnknown } from '../helpers/exposure.js';

const t = ruleTester(webTierSg);
type M = keyof typeof webTierSg.meta.messages;
const ok = (resource: string) => ({ messageId: 'compliant' as const, resource });
const bad = (messageId: M, resource: string) => ({ messageId, resource });

// An internet-facing ALB tagged for the lb tier, with its own group.
const alb = sg('sg-alb', { ingress: [tcp(443, '0.0.0.0/0')] });
const albLb = lb('web-alb', ['sg-alb'], { tier: 'lb' });
const withAlb = (...groups: ReturnType<typeof sg>[]) => snapshot(region({ groups: [alb, ...groups], lbs: [albLb] }));

const valid: ValidCase<M>[] = [
  // --- not applicable ---
  {
    name: 'no tier tags: not applicable (an ALB open to the world is fine here)',
    snapshot: withAlb(sg('sg-x', { ingress: [tcp(80, '0.0.0.0/0')] })),
    passes: [],
  },
  { name: 'empty estate', snapshot: snapshot(), passes: [] },
  // --- compliant ---
  {
    name: '443 from the group of a load balancer tagged lb',
    snapshot: withAlb(sg('sg-web', { tier: 'web', ingress: [tcp(443, 'sg-alb')] })),
    passes: [ok('sg-web')],
  },
  {
    name: '80 from a group itself tagged lb (no load balancer record)',
    snapshot: snapshot(
      region({ groups: [sg('sg-lb', { tier: 'lb' }), sg('sg-web', { tier: 'web', ingress: [tcp(80, 'sg-lb')] })] }),
    ),
    passes: [ok('sg-web')],
  },
  {
    name: 'a range 80-443 from the load balancer covers the web ports',
    snapshot: withAlb(sg('sg-web', { tier: 'web', ingress: [tcp([80, 443], 'sg-alb')] })),
    passes: [ok('sg-web')],
  },
  {
    name: 'other group sources (bastion) are left to the least-privilege rules',
    snapshot: withAlb(
      sg('sg-bastion'),
      sg('sg-web', { tier: 'web', ingress: [tcp(443, 'sg-alb'), tcp(22, 'sg-bastion')] }),
    ),
    passes: [ok('sg-web')],
  },
  {
    name: 'all traffic from the load balancer group covers 443',
    snapshot: withAlb(sg('sg-web', { tier: 'web', ingress: [all('sg-alb')] })),
    passes: [ok('sg-web')],
  },
  {
    name: 'cross-account load-balancer group in the merged estate',
    snapshot: snapshot(
      region({ groups: [sg('sg-web', { tier: 'web', ingress: [tcp(443, `${OTHER_ACCOUNT}/sg-lb`)] })] }),
      region({ accountId: OTHER_ACCOUNT, groups: [sg('sg-lb', { tier: 'lb' })] }),
    ),
    passes: [ok('sg-web')],
  },
  {
    name: 'lb-tier resources alone do not make the web tier applicable',
    snapshot: snapshot(region({ groups: [alb], lbs: [albLb] })),
    passes: [],
  },
];

const invalid: InvalidCase<M>[] = [
  // --- missing load-balancer access ---
  {
    name: 'no inbound rule',
    snapshot: withAlb(sg('sg-web', { tier: 'web' })),
    passes: [],
    findings: [bad('missingLbAccess', 'sg-web')],
  },
  {
    name: 'the load balancer is not tagged lb',
    snapshot: snapshot(
      region({
        groups: [alb, sg('sg-web', { tier: 'web', ingress: [tcp(443, 'sg-alb')] })],
        lbs: [lb('web-alb', ['sg-alb'])],
      }),
    ),
    passes: [],
    findings: [bad('missingLbAccess', 'sg-web')],
  },
  {
    name: 'load balancer reaches the web tier on 8080 only',
    snapshot: withAlb(sg('sg-web', { tier: 'web', ingress: [tcp(8080, 'sg-alb')] })),
    passes: [],
    findings: [bad('missingLbAccess', 'sg-web')],
  },
  {
    name: 'an unresolved cross-account group is not a verified load balancer',
    snapshot: snapshot(
      region({ groups: [sg('sg-web', { tier: 'web', ingress: [tcp(443, `${OTHER_ACCOUNT}/sg-lb`)] })] }),
    ),
    passes: [],
    findings: [bad('missingLbAccess', 'sg-web')],
  },
  // --- direct address-range access ---
  {
    name: 'reachable directly from 0.0.0.0/0, bypassing the load balancer',
    snapshot: withAlb(sg('sg-web', { tier: 'web', ingress: [tcp(443, 'sg-alb', '0.0.0.0/0')] })),
    passes: [],
    findings: [bad('worldSource', 'sg-web')],
  },
  {
    name: 'world only: both findings',
    snapshot: withAlb(sg('sg-web', { tier: 'web', ingress: [tcp(80, '0.0.0.0/0'), tcp(80, '::/0')] })),
    passes: [],
    findings: [bad('missingLbAccess', 'sg-web'), bad('worldSource', 'sg-web'), bad('worldSource', 'sg-web')],
  },
  {
    name: 'private CIDR and prefix list are direct access too',
    snapshot: withAlb(
      sg('sg-web', { tier: 'web', ingress: [tcp(443, 'sg-alb'), tcp(22, '10.0.0.0/8'), tcp(443, 'pl-0123')] }),
    ),
    passes: [],
    findings: [bad('cidrSource', 'sg-web'), bad('cidrSource', 'sg-web')],
  },
  // --- tier resources without a tier group ---
  {
    name: 'web-tier instances but no web-tier group',
    snapshot: snapshot(
      region({ groups: [alb, sg('sg-x')], lbs: [albLb], enis: [eni('eni-1', ['sg-x'], { tier: 'web' })] }),
    ),
    passes: [],
    findings: [bad('noTierGroup', `${ACCOUNT}/us-east-1`)],
  },
];

describe('web-tier-sg', () => {
  t.run({ valid, invalid });

  describe('settings', () => {
    it('custom tier tags: key + value for web, key without value for lb', () => {
      const settings = settingsWithTiers({ web: [{ key: 'Role', value: 'frontend' }], lb: [{ key: 'PublicEntry' }] });
      const snap = snapshot(
        region({
          groups: [
            sg('sg-edge'),
            sg('sg-front', { tags: { Role: 'frontend' }, ingress: [tcp(443, 'sg-edge')] }),
            sg('sg-old', { tier: 'web' }),
          ],
          lbs: [lb('edge', ['sg-edge'], { tags: { PublicEntry: 'anything' } })],
        }),
      );
      t.assert({ snapshot: snap, settings: settings, passes: [ok('sg-front')], findings: [] });
      t.assert({ snapshot: snap, passes: [], findings: [bad('missingLbAccess', 'sg-old')] });
    });

    it('honours custom ports.web', () => {
      const settings = settingsWith({ ports: { data: defaultSettings().ports.data, web: [8443] } });
      const snap = withAlb(
        sg('sg-a', { tier: 'web', ingress: [tcp(8443, 'sg-alb')] }),
        sg('sg-b', { tier: 'web', ingress: [tcp(443, 'sg-alb')] }),
      );
      t.assert({
        snapshot: snap,
        settings: settings,
        passes: [ok('sg-a')],
        findings: [bad('missingLbAccess', 'sg-b')],
      });
      const f = runRules([webTierSg], snap, settings).find((x) => x.status === 'fail')!;
      expect(f.remediation).toEqual([
        'aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-b --protocol tcp --port 8443 --source-group sg-alb',
      ]);
    });
  });

  describe('finding content', () => {
    it('pass names the load-balancer source and the instance it protects', () => {
      const snap = snapshot(
        region({
          groups: [alb, sg('sg-web', { name: 'web', tier: 'web', ingress: [tcp(443, 'sg-alb')] })],
          lbs: [albLb],
          enis: [eni('eni-1', ['sg-web'], { attachment: { instanceId: 'i-1' } })],
        }),
      );
      const [f] = runRules([webTierSg], snap);
      expect(f).toMatchObject({
        status: 'pass',
        severity: 'medium',
        category: 'web-tier',
        tier: 'web',
        resource: { type: 'security-group', id: 'sg-web', name: 'web' },
        related: [{ type: 'network-interface', id: 'eni-1', name: 'i-1' }],
        message:
          'Web-tier security group sg-web (web) admits tcp 443 from load-balancer security groups (sg-alb) and no address range.',
      });
    });

    it('world access: revoke exactly that entry; missing access: authorize 443 from the nearest load-balancer group', () => {
      const snap = snapshot(
        region({
          groups: [
            sg('sg-alb-other', { tier: 'lb', vpcId: 'vpc-2' }),
            sg('sg-alb', { tier: 'lb', vpcId: 'vpc-1' }),
            sg('sg-web', { tier: 'web', vpcId: 'vpc-1', ingress: [tcp(80, '0.0.0.0/0')] }),
          ],
        }),
      );
      // Exposure unknown (interfaces not collected): the rule's own severity and message (test/helpers/exposure.ts).
      exposureUnknown(snap);
      const fs = runRules([webTierSg], snap).map((f) => [f.messageId, f.message, f.remediation]);
      expect(fs).toEqual([
        [
          'worldSource',
          'Web-tier security group sg-web (web) admits tcp 80 directly from the whole internet (0.0.0.0/0), bypassing the load balancer.',
          [
            `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-web --ip-permissions '[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
          ],
        ],
        [
          'missingLbAccess',
          'Web-tier security group sg-web (web) does not allow tcp 80 or 443 from a load-balancer security group.',
          [
            'aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-web --protocol tcp --port 443 --source-group sg-alb',
          ],
        ],
      ]);
    });

    it('without any load-balancer group the source is a placeholder', () => {
      const [f] = runRules([webTierSg], snapshot(region({ groups: [sg('sg-web', { tier: 'web' })] })));
      expect(f.remediation).toEqual([
        `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-web --protocol tcp --port 443 --source-group '<lb-tier-sg-id>'`,
      ]);
    });

    it('no web-tier group: create, authorize from the load balancer, tag and attach', () => {
      const snap = snapshot(
        region({
          groups: [alb, sg('sg-x')],
          lbs: [albLb],
          enis: [eni('eni-1', ['sg-x'], { tier: 'web', vpcId: 'vpc-1' })],
        }),
      );
      const [f] = runRules([webTierSg], snap);
      expect(f.message).toBe(
        `Account ${ACCOUNT} region us-east-1 has web-tier resources (network-interface eni-1) but no security group tagged for the web tier.`,
      );
      expect(f.remediation).toEqual([
        "aws ec2 create-security-group --region us-east-1 --group-name web-tier --description 'Web-tier security group' --vpc-id vpc-1",
        `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id '<new-web-tier-sg-id>' --protocol tcp --port 443 --source-group sg-alb`,
        `aws ec2 create-tags --region us-east-1 --resources '<new-web-tier-sg-id>' --tags Key=Tier,Value=web`,
        `aws ec2 modify-network-interface-attribute --region us-east-1 --network-interface-id eni-1 --groups '<new-web-tier-sg-id>'`,
      ]);
    });
  });
});
