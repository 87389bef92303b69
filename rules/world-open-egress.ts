/**
 * world-open-egress — all outbound traffic allowed to 0.0.0.0/0 or ::/0. Opt-in: AWS adds this rule to
 * every new security group.
 */
import {
  defineRule,
  describeEntries,
  describeSources,
  isUnknownSource,
  isWorldSource,
  revokeCommands,
  type RuleEntry,
  SG_RULES_DOC,
  sgFailure,
  sgPassDetails,
  sgUnknown,
} from './lib/index.js';

export const worldOpenEgress = defineRule({
  meta: {
    id: 'world-open-egress',
    title: 'Security groups do not allow all outbound traffic to the internet (opt-in)',
    severity: 'low',
    category: 'least-privilege',
    rationale:
      'Every new security group gets an outbound rule allowing all traffic to 0.0.0.0/0 (and ::/0 in IPv6 VPCs). ' +
      'Least privilege would restrict egress to the destinations a workload needs, which limits exfiltration and ' +
      'command-and-control paths, but nearly every estate has this rule on every group, so the rule is opt-in ' +
      '(enable it in settings or name it in --rules) and low severity. Counts protocol -1 and tcp/udp 0-65535 ' +
      '(or 1-65535) to the world (a prefix list holding 0.0.0.0/0 or ::/0 included; one whose entries were not ' +
      'collected leaves the verdict unknown); narrower egress passes. One finding per security group.',
    remediation:
      'Revoke the allow-all egress rule and add outbound rules for the ports and destinations the workload uses ' +
      '(for example tcp 443 to a prefix list or VPC endpoint, the database port to the data-tier group).',
    references: [
      SG_RULES_DOC,
      { title: 'AWS Well-Architected Security Pillar SEC05-BP02: control traffic flow within your network layers' },
    ],
    messages: {
      open: 'Security group {{group}} ({{groupName}}) allows {{ports}} out to {{destinations}}.',
      restricted: 'Security group {{group}} ({{groupName}}) does not allow all outbound traffic to the internet.',
      unknown:
        'Security group {{group}} ({{groupName}}) allows {{rules}}; the entries of {{prefixLists}} were not ' +
        'collected, so whether it allows all outbound traffic to the internet is unknown.',
    },
    needs: ['securityGroups', 'prefixLists'],
    defaultEnabled: false,
  },
  check({ graph, report, pass }) {
    for (const g of graph.groups) {
      let entries: RuleEntry[] | undefined;
      let unknown: RuleEntry[] | undefined;
      for (const e of g.egress) {
        if (!e.allPorts) continue;
        if (isWorldSource(e.source)) (entries ??= []).push(e);
        else if (isUnknownSource(e.source)) (unknown ??= []).push(e);
      }
      if (entries) {
        report(
          sgFailure(
            g,
            'open',
            { group: g.id, groupName: g.name, ports: describeEntries(entries), destinations: describeSources(entries) },
            revokeCommands(entries),
          ),
        );
      } else if (unknown) {
        report(sgUnknown(g, 'unknown', { group: g.id, groupName: g.name }, unknown));
      } else {
        pass('restricted', () => sgPassDetails(g, { group: g.id, groupName: g.name }));
      }
    }
  },
});
