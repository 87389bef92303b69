/**
 * world-open-database-ports — database, cache and search-engine ports reachable from 0.0.0.0/0 or ::/0.
 */
import { checkWorldOpenPorts, defineRule, securityHubEc2, SG_RULES_DOC, worldPortOptions } from './lib/index.js';

/**
 * MySQL/Aurora 3306, PostgreSQL 5432, SQL Server 1433/1434, Oracle 1521/2483/2484, MongoDB 27017-27019,
 * Redis 6379, Memcached 11211, Cassandra 9042/7000/7199/9160, Elasticsearch/OpenSearch 9200/9300,
 * Kibana 5601, Cassandra OpsCenter 8888.
 */
export const DATABASE_PORTS = [
  3306, 5432, 1433, 1434, 1521, 2483, 2484, 27017, 27018, 27019, 6379, 11211, 9042, 9200, 9300, 5601, 7000, 7199, 9160,
  8888,
];

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
