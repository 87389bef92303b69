/**
 * Fast path for the two listings that make large collections CPU-bound (issue #6):
 * DescribeSecurityGroups and DescribeNetworkInterfaces. A middleware on the command takes the raw body
 * of a successful (HTTP 200) response and parses it with a streaming XML parser (saxes) straight into
 * snapshot records, in one pass: no SDK document tree, no SDK output objects, no second convert pass.
 * The SDK then deserialises a stub holding only the pagination token, so it stays in charge of
 * signing, retries, error responses (never touched here: only 200s are), pagination and metadata.
 *
 * The records are exactly what the SDK path gives (`convertSecurityGroup` / `convertNetworkInterface`
 * over the SDK's output: same values, same key order). Anything this parser does not model — malformed
 * XML, an unknown entity, a record without a required field, a duplicated field, text where elements
 * are expected — makes it step aside: the original body goes to the SDK and the page is converted the
 * ordinary way, so odd input fails (or succeeds) exactly as before. `test/collect/fast-xml.test.ts`
 * checks the equivalence.
 */
import type { MiddlewareStack } from '@smithy/types';
import { SaxesParser } from 'saxes';
import { AWS_FIELDS, canonicalProtocol, permissionProblems } from '../snapshot/aws-values.js';
import type { CidrEntry, GroupPair, NetworkInterface, Permission, SecurityGroup } from '../snapshot/schema.js';

/** The page as handed to the collector: records when the fast path parsed the body, else undefined. */
export interface FastHolder<T> {
  records: T[] | undefined;
}

/** Thrown inside the parser: leave this body to the SDK. */
class StepAside extends Error {}
const stepAside = (): never => {
  throw new StepAside();
};

/** The SDK's parser turns whitespace-only text that spans lines into an empty value (@aws-sdk/xml-builder). */
function sdkText(s: string): string {
  return s.length > 0 && s.includes('\n') && s.trim() === '' ? '' : s;
}

function int(s: string): number {
  // The SDK reads integers with Number(); the snapshot schema then requires an integer.
  const n = Number(s);
  return Number.isInteger(n) ? n : stepAside();
}

// Element contexts. A context decides what its child elements are; SKIP swallows whole subtrees.
const enum K {
  SKIP,
  ROOT,
  DOC,
  LEAF,
  SG_LIST,
  SG,
  PERM_LIST,
  PERM,
  PAIR_LIST,
  PAIR,
  V4_LIST,
  V4,
  V6_LIST,
  V6,
  PL_LIST,
  PL,
  TAG_LIST,
  TAG,
  ENI_LIST,
  ENI,
  ENI_GROUP_LIST,
  ENI_GROUP,
  ATTACHMENT,
}

type Fields = Record<string, string | undefined>;

interface Frame {
  kind: K;
  /** Leaf values of this element's children (records and their parts). */
  f: Fields;
  /** List elements seen among the children (bit per context), each allowed once. */
  lists: number;
}

/**
 * The walk shared by both listings: tracks element contexts, collects leaf text per SDK rules, reads
 * list items and the records' tags, and hands the other finished elements to `finish`. `listTag` is the
 * root's list element (securityGroupInfo / networkInterfaceSet), `listKind` its context.
 */
abstract class Walk<T> {
  readonly records: T[] = [];
  nextToken: string | undefined;
  requestId: string | undefined;
  /** Open elements; frames are reused by depth, `depth` is the current stack size. */
  private readonly stack: Frame[] = [];
  private depth = 0;
  private text = '';
  private capturing = false;
  /** The context of a record (the list's items). */
  private readonly recordKind: K;
  /** Tags of the open tagSet; those of the record being read once it closed. */
  private tags: Record<string, string> = {};
  private recordTags: Record<string, string> | undefined;

  constructor(
    private readonly listTag: string,
    private readonly listKind: K,
  ) {
    this.recordKind = ITEM_OF[listKind]!;
  }

  parse(xml: string): this {
    const p = new SaxesParser({ position: false });
    p.on('opentag', (node) => this.open(node.name));
    p.on('closetag', (node) => this.close(node.name));
    p.on('text', (t) => this.onText(t));
    p.on('cdata', (t) => {
      if (this.capturing) this.text += t;
      else if (this.depth > 0 && this.stack[this.depth - 1].kind !== K.SKIP) stepAside();
    });
    p.on('error', (err) => {
      throw err;
    });
    p.write(xml).close();
    if (this.depth !== 0) stepAside();
    return this;
  }

  /**
   * Context of a child element named `name` of an element in context `parent` (LEAF: collect its text),
   * for the contexts that are neither lists nor tags.
   */
  protected abstract child(parent: K, name: string): K;
  /** An element in a record context closed (lists: already checked to be the only one): build the record part from its frame. */
  protected abstract finish(frame: Frame, name: string, parent: Frame): void;

  /** The tags of the record that just closed ({} without a tagSet). */
  protected takeTags(): Record<string, string> {
    const tags = this.recordTags ?? {};
    this.recordTags = undefined;
    return tags;
  }

  private childOf(parent: K, name: string): K {
    const item = ITEM_OF[parent];
    if (item !== undefined) return name === 'item' ? item : K.SKIP;
    if (parent === K.TAG) return name === 'key' || name === 'value' ? K.LEAF : K.SKIP;
    if (parent === this.recordKind && name === 'tagSet') {
      this.tags = {};
      return K.TAG_LIST;
    }
    return this.child(parent, name);
  }

  private open(name: string): void {
    const depth = this.depth;
    let kind: K;
    if (depth === 0) kind = K.DOC;
    else {
      const parent = this.stack[depth - 1];
      if (parent.kind === K.LEAF) stepAside(); // an element inside a value: the SDK would see an object
      if (parent.kind === K.SKIP) kind = K.SKIP;
      else if (parent.kind === K.DOC) {
        kind = name === this.listTag ? this.listKind : name === 'nextToken' || name === 'requestId' ? K.LEAF : K.SKIP;
      } else kind = this.childOf(parent.kind, name);
    }
    if (kind === K.LEAF) {
      this.capturing = true;
      this.text = '';
    }
    const f = kind === K.LEAF || kind === K.SKIP || kind === K.DOC || isList(kind) ? NO_FIELDS : {};
    const frame = this.stack[depth];
    if (frame === undefined) this.stack.push({ kind, f, lists: 0 });
    else {
      frame.kind = kind;
      frame.f = f;
      frame.lists = 0;
    }
    this.depth = depth + 1;
  }

  private close(name: string): void {
    const frame = this.stack[--this.depth];
    const parent = this.stack[this.depth - 1];
    if (frame.kind === K.SKIP) return;
    if (frame.kind === K.LEAF) {
      this.capturing = false;
      const value = sdkText(this.text);
      if (parent.kind === K.DOC) {
        if (name === 'nextToken') this.nextToken = value;
        else this.requestId = value;
        return;
      }
      // A repeated field becomes a list in the SDK's document tree: not modelled here.
      if (parent.f[name] !== undefined) stepAside();
      parent.f[name] = value;
      return;
    }
    if (frame.kind === K.DOC) return;
    if (isList(frame.kind)) once(parent, frame, name);
    if (frame.kind === K.TAG_LIST) this.recordTags = this.tags;
    else if (frame.kind === K.TAG) {
      // An item without a key (even an empty one, {} to the SDK) is dropped, as tagsToRecord does.
      if (frame.f.key !== undefined) this.tags[frame.f.key] = frame.f.value ?? '';
    } else this.finish(frame, name, parent);
  }

  private onText(t: string): void {
    if (this.capturing) {
      this.text += t;
      return;
    }
    // Text where elements belong (outside skipped subtrees): only the line breaks and indentation the
    // SDK ignores too; anything else (which the SDK may read as a value) is left to the SDK.
    const top = this.stack[this.depth - 1];
    if (top !== undefined && top.kind !== K.SKIP && sdkText(t) !== '') stepAside();
  }
}

const NO_FIELDS: Fields = Object.freeze({}) as Fields;

/** The context of each list's `item` children. */
const ITEM_OF: { readonly [list in K]?: K } = {
  [K.SG_LIST]: K.SG,
  [K.PERM_LIST]: K.PERM,
  [K.PAIR_LIST]: K.PAIR,
  [K.V4_LIST]: K.V4,
  [K.V6_LIST]: K.V6,
  [K.PL_LIST]: K.PL,
  [K.TAG_LIST]: K.TAG,
  [K.ENI_LIST]: K.ENI,
  [K.ENI_GROUP_LIST]: K.ENI_GROUP,
};

function isList(kind: K): boolean {
  return ITEM_OF[kind] !== undefined;
}

/** A list element (or the attachment) may appear once per parent (the SDK reads only the first of several). */
function once(parent: Frame, frame: Frame, name: string): void {
  // ipPermissions and ipPermissionsEgress share a context: tell them apart by name.
  const bit = 1 << (frame.kind === K.PERM_LIST && name === 'ipPermissionsEgress' ? 31 : frame.kind);
  if (parent.lists & bit) stepAside();
  parent.lists |= bit;
}

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

  protected finish(frame: Frame, name: string, parent: Frame): void {
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
        const out: NetworkInterface = { id: f.networkInterfaceId!, groups: this.eniGroups ?? [], tags: this.takeTags() };
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

export interface ParsedPage<T> {
  records: T[];
  nextToken: string | undefined;
  requestId: string | undefined;
}

function run<T>(walk: Walk<T>, xml: string): ParsedPage<T> | undefined {
  try {
    walk.parse(xml);
  } catch {
    // StepAside, or saxes rejecting the document: the SDK decides what it makes of it.
    return undefined;
  }
  return { records: walk.records, nextToken: walk.nextToken, requestId: walk.requestId };
}

/** A DescribeSecurityGroups body → records, or undefined when it is for the SDK to handle. */
export function parseSecurityGroupsPage(xml: string): ParsedPage<SecurityGroup> | undefined {
  return run(new SecurityGroupWalk(), xml);
}

/** A DescribeNetworkInterfaces body → records, or undefined when it is for the SDK to handle. */
export function parseNetworkInterfacesPage(xml: string): ParsedPage<NetworkInterface> | undefined {
  return run(new NetworkInterfaceWalk(), xml);
}

const escapeXml = (s: string) => s.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'));

async function readBody(body: unknown): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Put the fast path on one command: its successful response bodies are parsed by `parse`, the records
 * kept in the returned holder, and the SDK gets a stub with the pagination token and request id only.
 * When `parse` steps aside the SDK gets the original body. Error responses are never touched.
 */
export function withFastPath<T, I extends object, O extends object>(
  command: { middlewareStack: MiddlewareStack<I, O> },
  rootTag: string,
  parse: (xml: string) => ParsedPage<T> | undefined,
): FastHolder<T> {
  const holder: FastHolder<T> = { records: undefined };
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      if (response?.statusCode !== 200 || response.body == null) return result;
      const bytes = await readBody(response.body);
      const page = parse(bytes.toString('utf8'));
      if (page) {
        holder.records = page.records;
        response.body = Buffer.from(
          `<${rootTag}>` +
            (page.requestId !== undefined ? `<requestId>${escapeXml(page.requestId)}</requestId>` : '') +
            (page.nextToken !== undefined ? `<nextToken>${escapeXml(page.nextToken)}</nextToken>` : '') +
            `</${rootTag}>`,
        );
      } else {
        holder.records = undefined;
        response.body = bytes;
      }
      return result;
    },
    // Inside the SDK's deserializer (which runs on what this returns), once per attempt.
    { step: 'deserialize', priority: 'low', name: 'sgAuditFastListing', override: true },
  );
  return holder;
}
