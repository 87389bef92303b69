/** The fast path's walk of a DescribeNetworkInterfaces body (walk.ts has the rules it follows). */
import type { NetworkInterface } from '../../snapshot/schema.js';
import { int, K, once, parsePage, stepAside, Walk, type Frame, type ParsedPage } from './walk.js';

type PrivateIp = NonNullable<NetworkInterface['privateIpAddresses']>[number];

class NetworkInterfaceWalk extends Walk<NetworkInterface> {
  private groups: string[] = [];
  private eniGroups: string[] | undefined;
  private attachment: NonNullable<NetworkInterface['attachment']> | undefined;
  /** `association` of the ENI (its publicIp), of the private address being read. */
  private publicIp: string | undefined;
  private privPublicIp: string | undefined;
  private privs: PrivateIp[] = [];
  private eniPrivs: PrivateIp[] | undefined;
  private v6: string[] = [];
  private eniV6: string[] | undefined;

  constructor() {
    super('networkInterfaceSet', K.ENI_LIST);
  }

  protected child(parent: K, name: string): K {
    switch (parent) {
      case K.ENI:
        switch (name) {
          case 'networkInterfaceId':
          case 'interfaceType':
          case 'description':
          case 'status':
          case 'requesterId':
          case 'requesterManaged':
          case 'vpcId':
          case 'subnetId':
            return K.LEAF;
          case 'attachment':
            return K.ATTACHMENT;
          case 'association':
            return K.ENI_ASSOC;
          case 'privateIpAddressesSet':
            this.privs = [];
            return K.ENI_PRIV_LIST;
          case 'ipv6AddressesSet':
            this.v6 = [];
            return K.ENI_V6_LIST;
          case 'groupSet':
            this.groups = [];
            return K.ENI_GROUP_LIST;
          default:
            return K.SKIP;
        }
      case K.ATTACHMENT:
        return name === 'instanceId' || name === 'instanceOwnerId' || name === 'deviceIndex' || name === 'status'
          ? K.LEAF
          : K.SKIP;
      case K.ENI_GROUP:
        return name === 'groupId' ? K.LEAF : K.SKIP;
      case K.ENI_ASSOC:
      case K.ENI_PRIV_ASSOC:
        return name === 'publicIp' ? K.LEAF : K.SKIP;
      case K.ENI_PRIV:
        if (name === 'association') {
          this.privPublicIp = undefined;
          return K.ENI_PRIV_ASSOC;
        }
        return name === 'privateIpAddress' || name === 'primary' ? K.LEAF : K.SKIP;
      case K.ENI_V6:
        return name === 'ipv6Address' ? K.LEAF : K.SKIP;
      default:
        return K.SKIP;
    }
  }

  protected finish(frame: Frame, name: string, parent: Frame): void {
    const f = frame.f;
    switch (frame.kind) {
      case K.ENI: {
        if (!f.networkInterfaceId) stepAside();
        const out: NetworkInterface = {
          id: f.networkInterfaceId!,
          groups: this.eniGroups ?? [],
          tags: this.takeTags(),
        };
        if (f.interfaceType !== undefined) out.interfaceType = f.interfaceType;
        if (f.description !== undefined && f.description !== '') out.description = f.description;
        if (f.status !== undefined) out.status = f.status;
        if (f.requesterId !== undefined) out.requesterId = f.requesterId;
        if (f.requesterManaged !== undefined) out.requesterManaged = f.requesterManaged.toLowerCase() === 'true';
        if (f.vpcId !== undefined) out.vpcId = f.vpcId;
        if (f.subnetId !== undefined) out.subnetId = f.subnetId;
        if (this.publicIp !== undefined) out.publicIp = this.publicIp;
        out.privateIpAddresses = this.eniPrivs ?? [];
        out.ipv6Addresses = this.eniV6 ?? [];
        if (this.attachment) out.attachment = this.attachment;
        this.eniGroups = undefined;
        this.attachment = undefined;
        this.publicIp = undefined;
        this.eniPrivs = undefined;
        this.eniV6 = undefined;
        this.records.push(out);
        return;
      }
      case K.ATTACHMENT: {
        once(parent, frame, name);
        // Even an empty <attachment/> is an (empty) attachment to the SDK.
        const a: NonNullable<NetworkInterface['attachment']> = {};
        if (f.instanceId !== undefined) a.instanceId = f.instanceId;
        if (f.instanceOwnerId !== undefined) a.instanceOwnerId = f.instanceOwnerId;
        if (f.deviceIndex !== undefined) {
          // Not an integer ≥ 0: the SDK path rejects the page (convertNetworkInterface), with its wording.
          const d = int(f.deviceIndex);
          a.deviceIndex = d >= 0 ? d : stepAside();
        }
        if (f.status !== undefined) a.status = f.status;
        this.attachment = a;
        return;
      }
      case K.ENI_ASSOC:
        once(parent, frame, name);
        this.publicIp = f.publicIp;
        return;
      case K.ENI_PRIV_ASSOC:
        once(parent, frame, name);
        this.privPublicIp = f.publicIp;
        return;
      case K.ENI_PRIV: {
        const p = this.privPublicIp;
        this.privPublicIp = undefined;
        // An item without its address names nothing (the SDK path drops it too).
        if (f.privateIpAddress === undefined) return;
        const a: PrivateIp = { address: f.privateIpAddress };
        if (f.primary !== undefined) a.primary = f.primary.toLowerCase() === 'true';
        if (p !== undefined) a.publicIp = p;
        this.privs.push(a);
        return;
      }
      case K.ENI_PRIV_LIST:
        this.eniPrivs = this.privs;
        return;
      case K.ENI_V6:
        if (f.ipv6Address !== undefined) this.v6.push(f.ipv6Address);
        return;
      case K.ENI_V6_LIST:
        this.eniV6 = this.v6;
        return;
      case K.ENI_GROUP_LIST:
        this.eniGroups = this.groups;
        return;
      case K.ENI_GROUP:
        if (f.groupId !== undefined) this.groups.push(f.groupId);
        return;
    }
  }
}

/** A DescribeNetworkInterfaces body → records, or undefined when it is for the SDK to handle. */
export function parseNetworkInterfacesPage(xml: string): ParsedPage<NetworkInterface> | undefined {
  return parsePage(new NetworkInterfaceWalk(), xml);
}
