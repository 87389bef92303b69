/**
 * A hostile estate for the shell-safety test (issue #10): ids, regions, names, descriptions, tags and
 * engine names holding shell syntax — quotes, `;`, `$(…)`, backticks, newlines. Built in memory: the
 * snapshot loader rejects much of it at the door, and this estate tests the layer behind the door.
 */
import { defaultSettings, type Settings } from '../../src/config/schema.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { ACCOUNT, all, cluster, eni, instance, lb, region, sg, snapshot, tcp } from '../helpers/estate.js';

/** Every hostile string tries to `touch` this file name in the shell's working directory, or `/tmp/` + it. */
export const PWNED = 'PWNED';

export const HOSTILE = {
  quote: `sg-1'; touch ${PWNED} #`,
  subst: `sg-$(touch ${PWNED})`,
  backtick: `sg-\`touch ${PWNED}\``,
  newline: `sg-1\ntouch ${PWNED}`,
  region: (tmp: string) => `eu-west-1; touch ${tmp}/${PWNED} #`,
  text: `it's "$(touch ${PWNED})" \`touch ${PWNED}\`; touch ${PWNED} #\n touch ${PWNED}`,
  tagKey: `Tier'; touch ${PWNED} #`,
  tagValue: `$(touch ${PWNED}) "web",Value=x`,
};

/** Valid ids (AWS format) used next to the hostile ones. */
export const OPEN = 'sg-00000000000000001';
export const DEFAULT_SG = 'sg-00000000000000002';
export const APP = 'sg-00000000000000003';

export function hostileSettings(): Settings {
  const s = defaultSettings();
  return { ...s, tiers: { ...s.tiers, web: [{ key: HOSTILE.tagKey, value: HOSTILE.tagValue }] } };
}

export function hostileSnapshot(tmp: string): Snapshot {
  const open = tcp(22, '0.0.0.0/0');
  open.ipv4[0].description = HOSTILE.text;
  return snapshot(
    region({
      groups: [
        // Valid id, hostile name and rule description: commands are built, with exact arguments.
        sg(OPEN, { name: HOSTILE.text, ingress: [open] }),
        // Hostile ids: findings without commands.
        sg(HOSTILE.quote, { name: 'quote', ingress: [tcp(22, '0.0.0.0/0')] }),
        sg(HOSTILE.subst, { name: 'launch-wizard-1', ingress: [all('0.0.0.0/0')] }),
        sg(HOSTILE.backtick, { name: 'backtick', ingress: [tcp(3306, '0.0.0.0/0')] }),
        sg(HOSTILE.newline, { name: 'newline', ingress: [tcp(5432, '::/0')] }),
        // Valid group referencing hostile ids: a group pair, an account, a prefix list.
        sg(APP, {
          name: 'app',
          tier: 'app',
          ingress: [
            {
              protocol: 'tcp',
              fromPort: 8080,
              toPort: 8080,
              ipv4: [],
              ipv6: [],
              prefixLists: [],
              groups: [{ groupId: `sg-2;touch ${PWNED}`, userId: `222222222222; touch ${PWNED}` }],
            },
            {
              protocol: 'tcp',
              fromPort: 22,
              toPort: 22,
              ipv4: [],
              ipv6: [],
              prefixLists: [{ id: `pl-1$(touch ${PWNED})` }],
              groups: [],
            },
          ],
        }),
        // Default group in a hostile VPC, used by hostile resources.
        sg(DEFAULT_SG, { name: 'default', vpcId: `vpc-1; touch ${PWNED}`, ingress: [all(DEFAULT_SG)] }),
      ],
      enis: [
        eni(`eni-1$(touch ${PWNED})`, [DEFAULT_SG]),
        eni('eni-00000000000000001', [OPEN], { tags: { [HOSTILE.tagKey]: HOSTILE.tagValue } }),
      ],
      lbs: [
        lb('alb', [DEFAULT_SG], {
          arn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/x;touch ${PWNED}/0123456789abcdef`,
        }),
      ],
      clusters: [
        cluster(`orders'; touch ${PWNED} #`, [DEFAULT_SG], { tier: 'data', storageEncrypted: false }),
        cluster('inventory', [OPEN], { engine: `aurora-mysql$(touch ${PWNED})`, storageEncrypted: false }),
      ],
      instances: [
        instance(`pg$(touch ${PWNED})`, [HOSTILE.newline], { publiclyAccessible: true, storageEncrypted: false }),
        instance('plain', [OPEN], { engine: `postgres\`touch ${PWNED}\``, storageEncrypted: false }),
      ],
    }),
    // Hostile regions: every command of theirs is refused.
    region({ region: HOSTILE.region(tmp), groups: [sg('sg-00000000000000004', { ingress: [tcp(22, '0.0.0.0/0')] })] }),
    region({
      region: `$(touch ${tmp}/${PWNED})`,
      groups: [sg('sg-00000000000000005', { ingress: [tcp(3389, '0.0.0.0/0')] })],
    }),
  );
}
