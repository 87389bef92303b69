/**
 * internet-exposure — network interfaces the internet can actually reach (public address, route to an internet
 * gateway, network ACL both ways, an admitting security group), on ports that are not the listener ports of the
 * internet-facing load balancer they belong to.
 */
import {
  ADMIN_PORTS,
  analyseExposure,
  authorizeIngressCommand,
  coversPort,
  DATABASE_PORTS,
  dbRef,
  FINDING_PATHS,
  defineRule,
  describePath,
  describeProtocolPorts,
  type ExposurePath,
  type GroupNode,
  type Graph,
  type InterfaceExposure,
  type InterfaceNode,
  ipPermissions,
  type LoadBalancerNode,
  type PassDetails,
  type PortSpan,
  prefixListEntriesCommand,
  type ResourceRef,
  revokeCommands,
  securityHubEc2,
  SG_RULES_DOC,
  type RuleEntry,
  type RuleReport,
  type Scope,
  sourceHolds,
  spansHoldAny,
  subtractPorts,
} from './lib/index.js';

/** Ports whose exposure is critical: the default lists of world-open-admin-ports and world-open-database-ports. */
const CRITICAL_PORTS: readonly number[] = [...ADMIN_PORTS, ...DATABASE_PORTS];

type MessageId = 'exposed' | 'lbExposed' | 'unknown' | 'notReachable' | 'viaLoadBalancer' | 'listenersOnly';

/** A direct path and the part of its ports that is not a listener port of the load balancer it enters. */
interface Offending {
  path: ExposurePath;
  ports: PortSpan[];
}

/** An internet-facing load balancer's listener ports, by IP protocol. */
interface Listeners {
  tcp: Set<number>;
  udp: Set<number>;
  text: string;
}

const NO_LISTENERS: Listeners = { tcp: new Set(), udp: new Set(), text: 'none' };

export const internetExposure = defineRule({
  meta: {
    id: 'internet-exposure',
    title: 'Nothing is reachable from the internet but the listeners of internet-facing load balancers',
    severity: 'high',
    category: 'exposure',
    rationale:
      'A security group rule from 0.0.0.0/0 says nothing by itself: what matters is whether a packet from the ' +
      'internet gets to a network interface. It does when all of these hold: the interface has a public IPv4 ' +
      '(Elastic IP included) or, for IPv6 sources, a global IPv6 address; its subnet route table (explicit ' +
      "association, else the VPC's main table) routes the source to an internet gateway attached to the VPC; " +
      'the subnet network ACL admits the packet and its reply (ACLs are stateless); and one of its security ' +
      'groups admits the source on that protocol and port. Every network interface is checked (EC2 instances, ' +
      'RDS, load balancer nodes, Lambda, ECS tasks), one finding each. An internet-facing load balancer is ' +
      'meant to be reached on its listener ports: it passes there (one finding per load balancer for its ' +
      'nodes), and its targets reached only through it pass too (the load balancer is the entry point, also for ' +
      'a network load balancer that preserves client addresses). Any other port is a finding: critical for the ' +
      'administration and database ports of world-open-admin-ports and world-open-database-ports, high ' +
      'otherwise. Without the network data (a v1 snapshot, raw describe-security-groups input) the rule reports ' +
      'missing data, never a pass; an interface whose path cannot be decided (a prefix list whose entries were ' +
      'not read, no subnet) is an error finding.',
    remediation:
      'Revoke the security group rule that admits the internet (each finding lists the command), or take the ' +
      'interface off the internet: no public address, or a subnet without a route to an internet gateway. Put ' +
      'services behind an internet-facing load balancer and admit only the load balancer to the targets.',
    references: [
      SG_RULES_DOC,
      {
        title: 'Amazon VPC User Guide: internet gateways',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html',
      },
      {
        title: 'Amazon VPC User Guide: network ACLs',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html',
      },
      {
        title: 'Network Load Balancers: client IP preservation (instance targets see the client address)',
        url:
          'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/' +
          'edit-target-group-attributes.html#client-ip-preservation',
      },
      securityHubEc2(19, 'security groups should not allow unrestricted access to ports with high risk'),
    ],
    messages: {
      exposed:
        'Network interface {{target}} is reachable from the internet on {{exposed}} (through {{gateways}}, admitted ' +
        'by {{groups}}).{{more}}',
      lbExposed:
        'Internet-facing load balancer {{lb}} ({{enis}}) is reachable from the internet on {{exposed}}, which is ' +
        'not a listener port (listeners: {{listeners}}; admitted by {{groups}}).{{more}}',
      unknown: 'Whether network interface {{target}} is reachable from the internet is unknown: {{reason}}.',
      notReachable: 'Network interface {{target}} is not reachable from the internet: {{reason}}.',
      viaLoadBalancer:
        'Network interface {{target}} is reachable from the internet only through load balancer(s) {{lbs}}, on ' +
        'their listener ports.',
      listenersOnly:
        'Internet-facing load balancer {{lb}} ({{enis}}) is reachable from the internet only on its listener ports ' +
        '({{listeners}}).',
    },
    needs: [
      'securityGroups',
      'networkInterfaces',
      'prefixLists',
      'vpcs',
      'subnets',
      'routeTables',
      'internetGateways',
      'egressOnlyInternetGateways',
      'networkAcls',
      'loadBalancers',
      'listeners',
      'targetGroups',
    ],
  },
  check({ graph, report, pass }) {
    const needs = internetExposure.meta.needs;
    const model = analyseExposure(graph);
    for (const scope of graph.scopes) {
      // Without the network data nothing is decided here: the report lists the rule's missing data.
      if (needs.some((k) => !scope.collected.has(k))) continue;
      const lbs = internetFacing(scope);
      const lbByKey = new Map<string, LoadBalancerNode>();
      for (const n of scope.loadBalancers) lbByKey.set(n.lb.arn, n).set(n.lb.name, n);
      const byLb = new Map<LoadBalancerNode, Item[]>();
      for (const node of scope.networkInterfaces) {
        const x = model.ofInterface(node.eni.id);
        if (!x) continue;
        const a = x.target.attachedTo;
        const lb = a?.type === 'load-balancer' ? lbByKey.get(a.arn ?? a.id) : undefined;
        if (lb && lbs.has(lb)) {
          const list = byLb.get(lb);
          if (list) list.push({ x, node });
          else byLb.set(lb, [{ x, node }]);
          continue;
        }
        if (x.status === 'unreachable' && x.paths.length === 0) {
          // Most interfaces (no public address): judge's own notReachable pass, without its working.
          pass('notReachable', () => notReachableDetails(scope, x));
          continue;
        }
        const r = judge(graph, scope, [{ x, node }], NO_LISTENERS);
        if (r.status === 'pass') pass(r.messageId, r.details);
        else report(r.report);
      }
      for (const [lb, items] of byLb) {
        // The finding names the node with the lowest id: the same one whatever order the snapshot lists them in.
        items.sort((a, b) => (a.x.eniId < b.x.eniId ? -1 : a.x.eniId > b.x.eniId ? 1 : 0));
        const r = judge(graph, scope, items, lbs.get(lb)!, lb);
        if (r.status === 'pass') pass(r.messageId, r.details);
        else report(r.report);
      }
    }
  },
});

/** An interface's verdict from the model, with its graph node. */
interface Item {
  x: InterfaceExposure;
  node: InterfaceNode;
}

type Verdict =
  | { status: 'pass'; messageId: MessageId; details: () => PassDetails }
  | { status: 'fail' | 'error'; report: RuleReport<MessageId> };

/**
 * The verdict on interfaces that share one finding: one interface, or the nodes of one internet-facing load
 * balancer (exempt on its listener ports). Paths through a load balancer (`via`) are the load balancer's.
 */
function judge(graph: Graph, scope: Scope, items: Item[], listeners: Listeners, lb?: LoadBalancerNode): Verdict {
  const xs = items.map((i) => i.x);
  const first = xs[0];
  const offending: Offending[] = [];
  let reached = 0;
  for (const x of xs) {
    for (const path of x.paths) {
      // A path through a load balancer enters on its listener: the load balancer's own entry (its nodes pass on
      // it), or, for a target, the load balancer's exposure, not the target's.
      reached++;
      if (path.via) continue;
      const exempt =
        path.protocol === 'tcp' ? listeners.tcp : path.protocol === 'udp' ? listeners.udp : NO_LISTENERS.tcp;
      const ports = subtractPorts(path.ports, exempt);
      if (ports.length) offending.push({ path, ports });
    }
  }
  const base = () => ({
    accountId: first.accountId,
    region: first.region,
    resource: resourceOf(first, lb),
    related: relatedOf(scope, first, lb),
  });
  const target = () => targetText(first, lb);
  const lbData = (): Record<string, string> =>
    lb ? { lb: lb.lb.name, enis: xs.map((x) => x.eniId).join(', '), listeners: listeners.text } : {};
  if (offending.length) {
    const exposed = describeOffending(offending);
    const critical = offending.some(
      (o) => (o.path.protocol === 'tcp' || o.path.protocol === 'all') && spansHoldAny(o.ports, CRITICAL_PORTS),
    );
    const protocols = [...new Set(offending.map((o) => o.path.protocol))];
    return {
      status: 'fail',
      report: {
        ...base(),
        status: 'fail',
        messageId: lb ? 'lbExposed' : 'exposed',
        severity: critical ? 'critical' : 'high',
        data: {
          target: target(),
          ...lbData(),
          exposed,
          protocol: protocols.join(', '),
          ports: [...new Set(offending.map((o) => describeProtocolPorts(o.path.protocol, o.ports)))].join(', '),
          source: [...new Set(offending.map((o) => o.path.source))].join(', '),
          path: describePath(offending[0].path),
          gateways: distinctHops(offending, 'internet-gateway'),
          groups: distinctHops(offending, 'security-group'),
          more: morePathsText(offending.length, lb ? lb.lb.name : first.eniId),
        },
        remediation: remediationOf(graph, offending, listeners),
        exposure: {
          status: 'reachable',
          reason: `${exposed} via ${describePath(offending[0].path)}`,
          paths: pathsOf(offending),
          ...(offending.length > FINDING_PATHS ? { pathCount: offending.length } : {}),
        },
      },
    };
  }
  const unknownItem = items.find((i) => i.x.status === 'unknown');
  const unknown = unknownItem?.x;
  if (unknown) {
    return {
      status: 'error',
      report: {
        ...base(),
        status: 'error',
        messageId: 'unknown',
        data: { target: targetText(unknown, lb), reason: unknown.reason },
        remediation: unknownPrefixListCommands(scope, unknownItem.node),
        exposure: { status: 'unknown', reason: unknown.reason, paths: [] },
      },
    };
  }
  if (lb && reached) {
    return {
      status: 'pass',
      messageId: 'listenersOnly',
      details: () => ({ ...base(), data: { target: target(), ...lbData() } }),
    };
  }
  const via = [...new Set(xs.flatMap((x) => x.paths.flatMap((p) => (p.via ? [p.via.loadBalancer] : []))))];
  if (via.length) {
    const names = via.map((arn) => scope.loadBalancers.find((n) => n.lb.arn === arn)?.lb.name ?? arn);
    return {
      status: 'pass',
      messageId: 'viaLoadBalancer',
      details: () => ({ ...base(), data: { target: target(), lbs: names.join(', ') } }),
    };
  }
  return { status: 'pass', messageId: 'notReachable', details: () => notReachableDetails(scope, first, lb) };
}

/** The pass of an interface (or of a load balancer's nodes, `x` the first) the internet does not reach. */
function notReachableDetails(scope: Scope, x: InterfaceExposure, lb?: LoadBalancerNode): PassDetails {
  return {
    accountId: x.accountId,
    region: x.region,
    resource: resourceOf(x, lb),
    related: relatedOf(scope, x, lb),
    data: { target: targetText(x, lb), reason: x.reason },
  };
}

/** `igw-1, igw-2`: the distinct hops of a type on the offending paths (security groups: the target's). */
function distinctHops(offending: Offending[], type: 'internet-gateway' | 'security-group'): string {
  const ids = new Set<string>();
  for (const o of offending) {
    let id: string | undefined;
    for (const h of o.path.hops) if (h.type === type) id = h.id;
    if (id) ids.add(id);
  }
  return [...ids].join(', ') || 'none';
}

/**
 * Copies of the first `FINDING_PATHS` offending paths holding only their offending ports (what the finding is
 * about); the finding counts the rest (`pathCount`, and `{{more}}` in the message).
 */
function pathsOf(offending: Offending[]): ExposurePath[] {
  return offending.slice(0, FINDING_PATHS).map((o) => ({ ...o.path, ports: o.ports }));
}

/** ` 304 paths; \`sg-audit paths --to eni-1\` lists all.` when the finding keeps only some of them, else empty. */
function morePathsText(count: number, to: string): string {
  return count > FINDING_PATHS ? ` ${count} paths; \`sg-audit paths --to ${to}\` lists all.` : '';
}

/** `tcp 22 from 0.0.0.0/0, tcp 8080 from ::/0`: the offending (protocol, ports) per source. */
function describeOffending(offending: Offending[]): string {
  return [
    ...new Set(offending.map((o) => `${describeProtocolPorts(o.path.protocol, o.ports)} from ${o.path.source}`)),
  ].join(', ');
}

/** Internet-facing load balancers of the scope with their listener ports. */
function internetFacing(scope: Scope): Map<LoadBalancerNode, Listeners> {
  const out = new Map<LoadBalancerNode, Listeners>();
  const byArn = new Map<string, Listeners>();
  for (const n of scope.loadBalancers) {
    if (n.lb.scheme !== 'internet-facing') continue;
    const l: Listeners = { tcp: new Set(), udp: new Set(), text: '' };
    out.set(n, l);
    byArn.set(n.lb.arn, l);
  }
  const text = new Map<Listeners, string[]>();
  for (const listener of scope.snapshot.listeners) {
    const l = byArn.get(listener.loadBalancerArn);
    if (!l || listener.port === undefined) continue;
    // Listener protocols (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Listener.html):
    // HTTP, HTTPS, TCP and TLS run over TCP; UDP, QUIC and GENEVE over UDP; TCP_UDP and TCP_QUIC over both.
    const p = (listener.protocol ?? 'TCP').toUpperCase();
    const both = p === 'TCP_UDP' || p === 'TCP_QUIC';
    const overUdp = p === 'UDP' || p === 'QUIC' || p === 'GENEVE';
    if (!overUdp || both) l.tcp.add(listener.port);
    if (overUdp || both) l.udp.add(listener.port);
    const words = text.get(l) ?? [];
    words.push(`${p} ${listener.port}`);
    text.set(l, words);
  }
  for (const l of out.values()) l.text = [...new Set(text.get(l) ?? [])].sort().join(', ') || 'none';
  return out;
}

const ATTACHED_LABEL: Record<string, string> = {
  instance: 'instance',
  'db-instance': 'DB instance',
  'db-cluster': 'DB cluster',
  'load-balancer': 'load balancer',
  lambda: 'Lambda function',
  'ecs-task': 'ECS task',
  'nat-gateway': 'NAT gateway',
  'vpc-endpoint': 'VPC endpoint',
};

/** The attached resource's id or name: instance id, load balancer name, DB identifier. */
function attachedName(x: InterfaceExposure, lb?: LoadBalancerNode): string | undefined {
  if (lb) return lb.lb.name;
  const a = x.target.attachedTo;
  if (!a || a.type === 'network-interface') return undefined;
  return a.type === 'lambda' || a.type === 'load-balancer' ? (a.name ?? a.id) : a.id;
}

/** `eni-1 (instance i-1)`, `eni-2 (load balancer web)`, `eni-3`. */
function targetText(x: InterfaceExposure, lb?: LoadBalancerNode): string {
  const name = attachedName(x, lb);
  const type = lb ? 'load-balancer' : x.target.attachedTo?.type;
  return name && type ? `${x.eniId} (${ATTACHED_LABEL[type] ?? type} ${name})` : x.eniId;
}

/** The finding's resource: the network interface, named after what it is attached to. */
function resourceOf(x: InterfaceExposure, lb?: LoadBalancerNode): ResourceRef {
  const name = attachedName(x, lb);
  return name ? { type: 'network-interface', id: x.eniId, name } : { type: 'network-interface', id: x.eniId };
}

/** The attached resource, when the report has a type for it: an instance, a load balancer, an RDS database. */
function relatedOf(scope: Scope, x: InterfaceExposure, lb?: LoadBalancerNode): ResourceRef[] {
  if (lb) return [{ type: 'load-balancer', id: lb.lb.name, arn: lb.lb.arn, name: lb.lb.name }];
  const a = x.target.attachedTo;
  if (!a) return [];
  if (a.type === 'instance') return [{ type: 'instance', id: a.id }];
  if (a.type === 'db-instance') {
    return [dbRef('db-instance', a.id, a.arn ?? scope.dbInstances.find((n) => n.instance.id === a.id)?.instance.arn)];
  }
  if (a.type === 'db-cluster') {
    return [dbRef('db-cluster', a.id, a.arn ?? scope.dbClusters.find((n) => n.cluster.id === a.id)?.cluster.arn)];
  }
  return [];
}

/**
 * The fix: revoke each rule entry that admits an offending path (the path's last security-group hop, the
 * entry of that permission holding the path's source). On a load balancer's group an entry that also covers
 * listener ports is replaced: its listener ports are authorized from the same source first, then it is revoked.
 */
function remediationOf(graph: Graph, offending: Offending[], listeners: Listeners): string[] {
  const entries: RuleEntry[] = [];
  // Paths of one permission and source (one per port span, ACL split…) select the same entries: once each.
  const done = new Set<string>();
  for (const o of offending) {
    const hop = lastGroupHop(o.path);
    if (!hop) continue;
    const key = `${hop.id}#${hop.permissionIndex}|${o.path.source}`;
    if (done.has(key)) continue;
    done.add(key);
    const g = graph.groupsById.get(hop.id);
    if (!g) continue;
    const ofPermission = g.ingress.filter((e) => e.permissionIndex === hop.permissionIndex);
    const holding = ofPermission.filter((e) => sourceHolds(e.source, o.path.source));
    for (const e of holding.length ? holding : ofPermission.filter((e) => e.source.kind !== 'group')) {
      if (!entries.includes(e)) entries.push(e);
    }
  }
  const keep: string[] = [];
  for (const e of entries) keep.push(...reauthorizeListeners(e, listeners));
  return [...keep, ...revokeCommands(entries)];
}

/** The path's last security-group hop: the target's permission that admits it. */
function lastGroupHop(p: ExposurePath): Extract<ExposurePath['hops'][number], { type: 'security-group' }> | undefined {
  for (let i = p.hops.length - 1; i >= 0; i--) {
    const h = p.hops[i];
    if (h.type === 'security-group') return h;
  }
  return undefined;
}

/** Authorize commands keeping an entry's listener ports open (tcp listeners it covers) before it is revoked. */
function reauthorizeListeners(e: RuleEntry, listeners: Listeners): string[] {
  if (e.source.kind === 'group') return [];
  const ports = [...listeners.tcp].filter((p) => coversPort(e, 'tcp', p)).sort((a, b) => a - b);
  const out: string[] = [];
  for (const port of ports) {
    if (alreadyAdmits(e.group, e, port)) continue;
    const [perm] = ipPermissions([e]);
    out.push(
      authorizeIngressCommand(e.group.region, e.group.id, [
        { ...perm, IpProtocol: 'tcp', FromPort: port, ToPort: port },
      ]),
    );
  }
  return out;
}

/** Does another entry of the group admit tcp `port` from the same source exactly (authorizing it would fail)? */
function alreadyAdmits(g: GroupNode, e: RuleEntry, port: number): boolean {
  return g.ingress.some(
    (o) => o !== e && o.protocol === 'tcp' && o.fromPort === port && o.toPort === port && sourceKey(o) === sourceKey(e),
  );
}

/** `cidr 0.0.0.0/0`, `pl pl-1`, `sg sg-1`: what an entry admits from, as a comparable key. */
function sourceKey(e: RuleEntry): string {
  const s = e.source;
  return s.kind === 'cidr'
    ? `cidr ${s.cidr.cidr}`
    : s.kind === 'prefixList'
      ? `pl ${s.prefixListId}`
      : `sg ${s.groupId}`;
}

/** Commands reading the entries of the prefix lists (not read) that the interface's groups admit from. */
function unknownPrefixListCommands(scope: Scope, node: InterfaceNode): string[] {
  const ids = new Set<string>();
  for (const g of node.groups) {
    // AWS-managed lists too: their entries are public AWS ranges (CloudFront, …), internet sources when unread.
    for (const e of g.ingress) if (e.source.kind === 'prefixList' && !e.source.entries) ids.add(e.source.prefixListId);
  }
  return [...ids].sort().map((id) => prefixListEntriesCommand(scope.region, id));
}
