/**
 * The one-pass XML walk shared by the fast listings (security-groups.ts, network-interfaces.ts): a
 * streaming parser (saxes) straight into snapshot records, no SDK document tree, no SDK output objects,
 * no second convert pass (middleware.ts puts it on a command).
 *
 * The records are exactly what the SDK path gives (`convertSecurityGroup` / `convertNetworkInterface`
 * over the SDK's output: same values, same key order). Anything this parser does not model — malformed
 * XML, an unknown entity, a record without a required field, a duplicated field, text where elements
 * are expected — makes it step aside: the original body goes to the SDK and the page is converted the
 * ordinary way, so odd input fails (or succeeds) exactly as before.
 * `test/collect/fast-xml/fast-xml.test.ts` checks the equivalence.
 */
import { SaxesParser } from 'saxes';

/** Thrown inside the parser: leave this body to the SDK. */
export class StepAside extends Error {}
export const stepAside = (): never => {
  throw new StepAside();
};

/** The SDK's parser turns whitespace-only text that spans lines into an empty value (@aws-sdk/xml-builder). */
export function sdkText(s: string): string {
  return s.length > 0 && s.includes('\n') && s.trim() === '' ? '' : s;
}

export function int(s: string): number {
  // The SDK reads integers with Number(); the snapshot schema then requires an integer.
  const n = Number(s);
  return Number.isInteger(n) ? n : stepAside();
}

// Element contexts of every listing (one enum: `Frame.lists` tells a record's list elements apart by
// bit). A context decides what its child elements are; SKIP swallows whole subtrees.
export const enum K {
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
  ENI_ASSOC,
  ENI_PRIV_LIST,
  ENI_PRIV,
  ENI_PRIV_ASSOC,
  ENI_V6_LIST,
  ENI_V6,
}

export type Fields = Record<string, string | undefined>;

export interface Frame {
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
export abstract class Walk<T> {
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
  /**
   * An element in a record context closed (lists: already checked to be the only one): build the record part from
   * its frame.
   */
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

const NO_FIELDS: Fields = Object.freeze({});

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
  [K.ENI_PRIV_LIST]: K.ENI_PRIV,
  [K.ENI_V6_LIST]: K.ENI_V6,
};

export function isList(kind: K): boolean {
  return ITEM_OF[kind] !== undefined;
}

/**
 * A list element (or an attachment, an association) may appear once per parent (the SDK reads only the first of
 * several).
 */
export function once(parent: Frame, frame: Frame, name: string): void {
  // ipPermissions and ipPermissionsEgress share a context: tell them apart by name.
  const bit = 1 << (frame.kind === K.PERM_LIST && name === 'ipPermissionsEgress' ? 31 : frame.kind);
  if (parent.lists & bit) stepAside();
  parent.lists |= bit;
}

export interface ParsedPage<T> {
  records: T[];
  nextToken: string | undefined;
  requestId: string | undefined;
}

/** Run one walk over a body: its page, or undefined when it is for the SDK to handle. */
export function parsePage<T>(walk: Walk<T>, xml: string): ParsedPage<T> | undefined {
  try {
    walk.parse(xml);
  } catch {
    // StepAside, or saxes rejecting the document: the SDK decides what it makes of it.
    return undefined;
  }
  return { records: walk.records, nextToken: walk.nextToken, requestId: walk.requestId };
}
