/**
 * world-open-unauthorized-ports — AWS Security Hub EC2.18: a security group admits traffic from
 * 0.0.0.0/0 or ::/0 only on authorized ports (default tcp 80 and 443).
 */
import { z } from 'zod';
import {
  configRule,
  defineRule,
  describeEntries,
  describeSources,
  type Exposure,
  type ExposurePath,
  loadBalancerPortsOption,
  narrowExposure,
  PortSchema,
  publicLoadBalancerGroups,
  rangeWithin,
  reportWorldOpen,
  type RuleEntry,
  securityHubEc2,
  subtractPorts,
} from './lib/index.js';

const options = z.strictObject({
  authorizedTcpPorts: z
    .array(PortSchema)
    .default([80, 443])
    .describe("TCP ports any security group may open to the world (Security Hub's authorizedTcpPorts)."),
  authorizedUdpPorts: z
    .array(PortSchema)
    .default([])
    .describe('UDP ports any security group may open to the world (authorizedUdpPorts).'),
  loadBalancerPorts: loadBalancerPortsOption,
});

export const worldOpenUnauthorizedPorts = defineRule({
  meta: {
    id: 'world-open-unauthorized-ports',
    title: 'Security groups admit traffic from the internet only on authorized ports',
    severity: 'medium',
    category: 'least-privilege',
    rationale:
      'Security Hub EC2.18 (Config vpc-sg-open-only-to-authorized-ports): a rule from 0.0.0.0/0 or ::/0 must stay ' +
      'within the authorized ports (tcp 80 and 443 by default). A tcp/udp rule fails when any port of its range ' +
      'is not authorized; protocol -1 and other IP protocols (GRE, ESP, ...) always fail. ICMP is left to ' +
      'world-open-icmp. Groups of internet-facing load balancers (or tagged for the lb tier) may also open ' +
      'options.loadBalancerPorts. One finding per security group lists every unauthorized rule.',
    remediation:
      'Revoke the world-open rule; publish the service through a load balancer on 80/443, or admit only the ' +
      'clients that need it. If the port is meant to be public, add it to options.authorizedTcpPorts.',
    references: [
      securityHubEc2(18, 'security groups should only allow unrestricted incoming traffic for authorized ports'),
      configRule('vpc-sg-open-only-to-authorized-ports', 'security groups with 0.0.0.0/0 allow only authorized ports'),
    ],
    messages: {
      open:
        'Security group {{group}} ({{groupName}}) admits unauthorized {{ports}} from {{sources}} (authorized: ' +
        '{{authorized}}).',
      authorized:
        'Security group {{group}} ({{groupName}}) admits traffic from the internet only on authorized ports ' +
        '({{authorized}}).',
      unknown:
        'Security group {{group}} ({{groupName}}) admits {{rules}}; the entries of {{prefixLists}} were not ' +
        'collected, so whether it admits traffic from the internet only on authorized ports ({{authorized}}) is ' +
        'unknown.',
    },
    needs: ['securityGroups', 'loadBalancers', 'prefixLists'],
  },
  options,
  check(ctx) {
    const { graph, options: o } = ctx;
    const authorized =
      [
        o.authorizedTcpPorts.length ? `tcp ${o.authorizedTcpPorts.join(', ')}` : '',
        o.authorizedUdpPorts.length ? `udp ${o.authorizedUdpPorts.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ') || 'none';
    const lbTcp = [...new Set([...o.authorizedTcpPorts, ...o.loadBalancerPorts])];
    const lbGroups = publicLoadBalancerGroups(graph);
    reportWorldOpen(
      ctx,
      (g, w) => {
        let entries: RuleEntry[] | undefined;
        let tcpOk: readonly number[] | undefined;
        for (const e of w) {
          let bad: boolean;
          if (e.protocol === 'tcp')
            bad = !rangeWithin(e.fromPort, e.toPort, (tcpOk ??= lbGroups.has(g.id) ? lbTcp : o.authorizedTcpPorts));
          else if (e.protocol === 'udp') bad = !rangeWithin(e.fromPort, e.toPort, o.authorizedUdpPorts);
          else bad = e.protocol !== 'icmp' && e.protocol !== 'icmpv6';
          if (bad) (entries ??= []).push(e);
        }
        if (!entries) return undefined;
        const tcp = new Set(tcpOk ?? (lbGroups.has(g.id) ? lbTcp : o.authorizedTcpPorts));
        const udp = new Set(o.authorizedUdpPorts);
        // A path counts on the ports it admits that are not authorized (ICMP is world-open-icmp's).
        const unauthorized = (p: ExposurePath): ExposurePath | undefined => {
          if (p.protocol === 'icmp' || p.protocol === 'icmpv6') return undefined;
          if (p.protocol !== 'tcp' && p.protocol !== 'udp') return p;
          const rest = subtractPorts(p.ports, p.protocol === 'tcp' ? tcp : udp);
          if (rest.length === 0) return undefined;
          const unchanged =
            rest.length === p.ports.length && rest.every(([a, b], i) => a === p.ports[i][0] && b === p.ports[i][1]);
          return unchanged ? p : { ...p, ports: rest };
        };
        return {
          entries,
          data: {
            group: g.id,
            groupName: g.name,
            authorized,
            ports: describeEntries(entries),
            sources: describeSources(entries),
          },
          refine: (x: Exposure): Exposure =>
            narrowExposure(x, unauthorized, `the internet reaches ${g.id} only on authorized ports (${authorized})`),
        };
      },
      (g) => ({ group: g.id, groupName: g.name, authorized }),
      'authorized',
    );
  },
});
