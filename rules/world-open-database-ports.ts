/**
 * world-open-database-ports — database, cache and search-engine ports reachable from 0.0.0.0/0 or ::/0.
 */
import {
  checkWorldOpenPorts,
  DATABASE_PORTS,
  defineRule,
  securityHubEc2,
  SG_RULES_DOC,
  worldPortOptions,
} from './lib/index.js';

/** The default ports (rules/lib/service-ports.ts), re-exported where they were first defined. */
export { DATABASE_PORTS };

/** options.ports: the TCP ports of databases, caches and search engines. */
const options = worldPortOptions(DATABASE_PORTS);

export const worldOpenDatabasePorts = defineRule({
  meta: {
    id: 'world-open-database-ports',
    title: 'Database, cache and search ports are not open to the internet',
    severity: 'high',
    category: 'least-privilege',
    rationale:
      'Databases, caches and search clusters (MySQL, PostgreSQL, SQL Server, Oracle, MongoDB, Redis, Memcached, ' +
      'Cassandra, Elasticsearch/OpenSearch, Kibana) exposed to 0.0.0.0/0 or ::/0 are found by internet-wide ' +
      'scanners and routinely ransomed or dumped; they should be reachable only from the application tier. Ports ' +
      'are TCP: a port is open when a world rule covers it by tcp range or protocol -1. One finding per group.',
    remediation:
      'Revoke the world-open rule and admit the database port only from the application security group ' +
      '(a security group reference), never from an address range.',
    references: [
      securityHubEc2(19, 'security groups should not allow unrestricted access to ports with high risk'),
      SG_RULES_DOC,
    ],
    messages: {
      open: 'Security group {{group}} ({{groupName}}) admits database/cache port(s) tcp {{ports}} from {{sources}}.',
      closed:
        'Security group {{group}} ({{groupName}}) admits no database or cache port (tcp {{checked}}) from the ' +
        'internet.',
      unknown:
        'Security group {{group}} ({{groupName}}) admits {{rules}}; the entries of {{prefixLists}} were not ' +
        'collected, so whether it admits database or cache ports (tcp {{checked}}) from the internet is unknown.',
    },
    needs: ['securityGroups', 'loadBalancers', 'prefixLists'],
  },
  options,
  check: checkWorldOpenPorts,
});
