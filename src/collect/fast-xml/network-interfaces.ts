/** The fast path's walk of a DescribeNetworkInterfaces body (walk.ts has the rules it follows). */
import type { NetworkInterface } from '../../snapshot/schema.js';
import { K, once, parsePage, stepAside, Walk, type Frame, type ParsedPage } from './walk.js';

class NetworkInterfaceWalk extends Walk<NetworkInterface> {
  private groups: string[] = [];
  private eniGroups: string[] | undefined;
  private attachment: NonNullable<NetworkInterface['attachment']> | undefined;

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
            return K.LEAF;
          case 'attachment':
            return K.ATTACHMENT;
          case 'groupSet':
            this.groups = [];
            return K.ENI_GROUP_LIST;
          default:
            return K.SKIP;
        }
      case K.ATTACHMENT:
        return name === 'instanceId' || name === 'instanceOwnerId' || name === 'status' ? K.LEAF : K.SKIP;
      case K.ENI_GROUP:
        return name === 'groupId' ? K.LEAF : K.SKIP;
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
        if (this.attachment) out.attachment = this.attachment;
        this.eniGroups = undefined;
        this.attachment = undefined;
        this.records.push(out);
        return;
      }
      case K.ATTACHMENT: {
        once(parent, frame, name);
        // Even an empty <attachment/> is an (empty) attachment to the SDK.
        const a: NonNullable<NetworkInterface['attachment']> = {};
        if (f.instanceId !== undefined) a.instanceId = f.instanceId;
        if (f.instanceOwnerId !== undefined) a.instanceOwnerId = f.instanceOwnerId;
        if (f.status !== undefined) a.status = f.status;
        this.attachment = a;
        return;
      }
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
