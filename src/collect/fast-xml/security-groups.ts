/** The fast path's walk of a DescribeSecurityGroups body (walk.ts has the rules it follows). */
import { AWS_FIELDS, canonicalProtocol, permissionProblems } from '../../snapshot/aws-values.js';
import type { CidrEntry, GroupPair, Permission, SecurityGroup } from '../../snapshot/schema.js';
import { int, K, parsePage, stepAside, Walk, type Frame, type ParsedPage } from './walk.js';

/** Parts under construction, kept on the walk until their enclosing element closes. */
interface SgParts {
  ingress?: Permission[];
  egress?: Permission[];
}
interface PermParts {
  pairs?: GroupPair[];
  v4?: CidrEntry[];
  v6?: CidrEntry[];
  pls?: Permission['prefixLists'];
}

class SecurityGroupWalk extends Walk<SecurityGroup> {
  private sg: SgParts = {};
  private perm: PermParts = {};
  private permList: Permission[] = [];
  private ranges: CidrEntry[] = [];
  private pairs: GroupPair[] = [];
  private pls: Permission['prefixLists'] = [];

  constructor() {
    super('securityGroupInfo', K.SG_LIST);
  }

  protected child(parent: K, name: string): K {
    switch (parent) {
      case K.SG:
        switch (name) {
          case 'groupId':
          case 'groupName':
          case 'groupDescription':
          case 'vpcId':
          case 'ownerId':
            return K.LEAF;
          case 'ipPermissions':
          case 'ipPermissionsEgress':
            this.permList = [];
            return K.PERM_LIST;
          default:
            return K.SKIP;
        }
      case K.PERM:
        switch (name) {
          case 'ipProtocol':
          case 'fromPort':
          case 'toPort':
            return K.LEAF;
          case 'groups':
            this.pairs = [];
            return K.PAIR_LIST;
          case 'ipRanges':
            this.ranges = [];
            return K.V4_LIST;
          case 'ipv6Ranges':
            this.ranges = [];
            return K.V6_LIST;
          case 'prefixListIds':
            this.pls = [];
            return K.PL_LIST;
          default:
            return K.SKIP;
        }
      case K.PAIR:
        return name === 'groupId' ||
          name === 'userId' ||
          name === 'vpcId' ||
          name === 'vpcPeeringConnectionId' ||
          name === 'peeringStatus' ||
          name === 'groupName' ||
          name === 'description'
          ? K.LEAF
          : K.SKIP;
      case K.V4:
        return name === 'cidrIp' || name === 'description' ? K.LEAF : K.SKIP;
      case K.V6:
        return name === 'cidrIpv6' || name === 'description' ? K.LEAF : K.SKIP;
      case K.PL:
        return name === 'prefixListId' || name === 'description' ? K.LEAF : K.SKIP;
      default:
        return K.SKIP;
    }
  }

  protected finish(frame: Frame, name: string, _parent: Frame): void {
    const f = frame.f;
    switch (frame.kind) {
      case K.SG: {
        if (f.groupId === undefined || f.groupName === undefined) stepAside();
        const sg = this.sg;
        const out: SecurityGroup = {
          groupId: f.groupId!,
          groupName: f.groupName!,
          ...(f.groupDescription !== undefined ? { description: f.groupDescription } : {}),
          ...(f.vpcId ? { vpcId: f.vpcId } : {}),
          ...(f.ownerId ? { ownerId: f.ownerId } : {}),
          tags: this.takeTags(),
          ingress: sg.ingress ?? [],
          egress: sg.egress ?? [],
        };
        this.sg = {};
        this.records.push(out);
        return;
      }
      case K.PERM_LIST:
        if (name === 'ipPermissions') this.sg.ingress = this.permList;
        else this.sg.egress = this.permList;
        return;
      case K.PERM: {
        if (f.ipProtocol === undefined) stepAside();
        const fromPort = f.fromPort !== undefined ? int(f.fromPort) : undefined;
        const toPort = f.toPort !== undefined ? int(f.toPort) : undefined;
        // Outside AWS's value space (the schema's check, aws-values.ts): the SDK path words the error.
        if (permissionProblems(AWS_FIELDS, f.ipProtocol!, fromPort, toPort).length > 0) stepAside();
        const p = this.perm;
        const perm: Permission = {
          // One spelling per protocol ("6" → tcp), as convertSecurityGroup gives.
          protocol: canonicalProtocol(f.ipProtocol!)!,
          ipv4: p.v4 ?? [],
          ipv6: p.v6 ?? [],
          prefixLists: p.pls ?? [],
          groups: p.pairs ?? [],
        };
        if (fromPort !== undefined) perm.fromPort = fromPort;
        if (toPort !== undefined) perm.toPort = toPort;
        this.perm = {};
        this.permList.push(perm);
        return;
      }
      case K.PAIR_LIST:
        this.perm.pairs = this.pairs;
        return;
      case K.V4_LIST:
        this.perm.v4 = this.ranges;
        return;
      case K.V6_LIST:
        this.perm.v6 = this.ranges;
        return;
      case K.PL_LIST:
        this.perm.pls = this.pls;
        return;
      case K.PAIR:
        if (f.groupId !== undefined) {
          this.pairs.push({
            groupId: f.groupId,
            ...(f.userId ? { userId: f.userId } : {}),
            ...(f.vpcId ? { vpcId: f.vpcId } : {}),
            ...(f.vpcPeeringConnectionId ? { vpcPeeringConnectionId: f.vpcPeeringConnectionId } : {}),
            ...(f.peeringStatus ? { peeringStatus: f.peeringStatus } : {}),
            ...(f.groupName ? { groupName: f.groupName } : {}),
            ...(f.description ? { description: f.description } : {}),
          });
        }
        return;
      case K.V4:
      case K.V6: {
        const cidr = frame.kind === K.V4 ? f.cidrIp : f.cidrIpv6;
        if (cidr === undefined) stepAside();
        this.ranges.push({ cidr: cidr!, ...(f.description ? { description: f.description } : {}) });
        return;
      }
      case K.PL:
        if (f.prefixListId === undefined) stepAside();
        this.pls.push({ id: f.prefixListId!, ...(f.description ? { description: f.description } : {}) });
        return;
    }
  }
}

/** A DescribeSecurityGroups body → records, or undefined when it is for the SDK to handle. */
export function parseSecurityGroupsPage(xml: string): ParsedPage<SecurityGroup> | undefined {
  return parsePage(new SecurityGroupWalk(), xml);
}
