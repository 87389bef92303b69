/**
 * launch-wizard-sg — security groups named launch-wizard-N, created by the EC2 console launch wizard.
 */
import {
  defineRule,
  deleteGroupCommand,
  describeGroupCommand,
  referencesFromOthers,
  sgFailure,
  sgPassDetails,
  usageKnown,
} from './lib/index.js';

const LAUNCH_WIZARD = /^launch-wizard-\d+$/;

export const launchWizardSg = defineRule({
  meta: {
    id: 'launch-wizard-sg',
    title: 'No security groups left over from the EC2 launch wizard',
    severity: 'low',
    category: 'hygiene',
    rationale:
      'The EC2 console creates a launch-wizard-N group for each instance launched without choosing a group, ' +
      'usually with SSH or RDP open to 0.0.0.0/0. Such groups are ad-hoc, unnamed by purpose and outside any ' +
      'review or infrastructure-as-code; replace them with purpose-built groups. The world-open rules report ' +
      'their open ports separately.',
    remediation:
      'Move the instances to a purpose-built group with only the rules they need, then delete the launch-wizard group.',
    references: [{ title: 'Prowler ec2_securitygroup_from_launch_wizard' }],
    messages: {
      launchWizard: 'Security group {{group}} was created by the EC2 launch wizard ({{usage}}).',
      named: 'Security group {{group}} ({{groupName}}) was not created by the EC2 launch wizard.',
    },
    needs: ['securityGroups'],
  },
  check({ graph, report, pass }) {
    for (const g of graph.groups) {
      if (!LAUNCH_WIZARD.test(g.name)) {
        pass('named', () => sgPassDetails(g, { group: g.id, groupName: g.name }));
        continue;
      }
      const unused = usageKnown(g.scope) && g.attachments.length === 0 && referencesFromOthers(g) === 0;
      const usage = g.attachments.length
        ? `attached to ${g.attachments.length} resource(s)`
        : unused
          ? 'not used: safe to delete'
          : usageKnown(g.scope)
            ? 'referenced by other security groups'
            : 'usage unknown: network interfaces not collected';
      report(
        sgFailure(
          g,
          'launchWizard',
          { group: g.id, groupName: g.name, usage },
          unused ? [deleteGroupCommand(g)] : [describeGroupCommand(g)],
        ),
      );
    }
  },
});
