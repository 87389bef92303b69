/**
 * world-open-high-risk-ports — AWS Security Hub EC2.19: high-risk TCP ports reachable from 0.0.0.0/0 or ::/0.
 */
import { checkWorldOpenPorts, defineRule, securityHubEc2, worldPortOptions } from './lib/index.js';

/** The port list of Security Hub EC2.19. */
export const HIGH_RISK_PORTS = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888,
  9200, 9300,
];

const options = worldPortOptions(HIGH_RISK_PORTS);

export const worldOpenHighRiskPorts = defineRule({
  meta: {
    id: 'world-open-high-risk-ports',
    title: 'High-risk ports (Security Hub EC2.19) are not open to the internet',
    severity: 'medium',
    category: 'least-privilege',
    rationale:
      'Security Hub EC2.19 fails a security group that admits unrestricted traffic (0.0.0.0/0 or ::/0) to any of ' +
      '24 high-risk ports: FTP, SSH, Telnet, SMTP, POP3, RPC, IMAP, SMB, SQL Server, MySQL, RDP, PostgreSQL, ' +
      'Kibana, Elasticsearch and common development servers (3000, 5000, 8080, 8088, 8888). A port is open when a ' +
      'world rule covers it by tcp range or protocol -1. One finding per security group lists every open port.',
    remediation:
      'Revoke the world-open rule and admit the port only from the security groups or narrow CIDRs that need it.',
    references: [securityHubEc2(19, 'security groups should not allow unrestricted access to ports with high risk')],
    messages: {
      open: 'Security group {{group}} ({{groupName}}) admits high-risk port(s) tcp {{ports}} from {{sources}}.',
      closed: 'Security group {{group}} ({{groupName}}) admits none of the high-risk ports from the internet.',
      unknown:
        'Security group {{group}} ({{groupName}}) admits {{rules}}; the entries of {{prefixLists}} were not ' +
        'collected, so whether it admits high-risk ports (tcp {{checked}}) from the internet is unknown.',
    },
    needs: ['securityGroups', 'loadBalancers', 'prefixLists'],
  },
  options,
  check: checkWorldOpenPorts,
});
