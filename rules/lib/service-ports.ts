/**
 * Default port lists shared by rules: the administration ports (world-open-admin-ports) and the database,
 * cache and search-engine ports (world-open-database-ports); internet-exposure rates an exposure on one of
 * them critical. TCP ports. Never mutated (they are option defaults).
 */

/** SSH 22, RDP 3389. */
export const ADMIN_PORTS: number[] = [22, 3389];

/**
 * MySQL/Aurora 3306, PostgreSQL 5432, SQL Server 1433/1434, Oracle 1521/2483/2484, MongoDB 27017-27019,
 * Redis 6379, Memcached 11211, Cassandra 9042/7000/7199/9160, Elasticsearch/OpenSearch 9200/9300,
 * Kibana 5601, Cassandra OpsCenter 8888.
 */
export const DATABASE_PORTS: number[] = [
  3306, 5432, 1433, 1434, 1521, 2483, 2484, 27017, 27018, 27019, 6379, 11211, 9042, 9200, 9300, 5601, 7000, 7199, 9160,
  8888,
];
