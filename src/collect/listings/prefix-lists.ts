/**
 * Managed prefix lists that the collected security groups reference: names from one
 * DescribeManagedPrefixLists listing (in parallel with the groups), entries with
 * GetManagedPrefixListEntries for each referenced list as soon as a page of groups reveals it. A list
 * whose entries could not be read is kept without `entries` (unknown, never "empty").
 */
import type {
  ManagedPrefixList as AwsManagedPrefixList,
  PrefixListEntry as AwsPrefixListEntry,
} from '@aws-sdk/client-ec2';
import type { CidrEntry, PrefixList, SecurityGroup } from '../../snapshot/schema.js';
import { ec2Sdk } from '../aws/sdk.js';
import { has, listPages, type Lister } from './listing.js';

/** The largest page both prefix-list calls accept. */
const PAGE_SIZE = 100;
const API = 'ec2:DescribeManagedPrefixLists';
const ENTRIES_API = 'ec2:GetManagedPrefixListEntries';

/** Prefix-list ids a group's rules reference (ingress and egress). */
export function referencedPrefixLists(g: SecurityGroup): string[] {
  const ids: string[] = [];
  for (const p of [...g.ingress, ...g.egress]) for (const pl of p.prefixLists) ids.push(pl.id);
  return ids;
}

export function convertPrefixListEntries(entries: ReadonlyArray<AwsPrefixListEntry> | undefined): CidrEntry[] {
  return (entries ?? [])
    .filter((e) => has(e.Cidr))
    .map((e) => ({ cidr: e.Cidr!, ...(e.Description ? { description: e.Description } : {}) }));
}

/** A referenced prefix list: metadata from DescribeManagedPrefixLists when seen, entries when read. */
export function convertPrefixList(
  id: string,
  meta: AwsManagedPrefixList | undefined,
  entries: CidrEntry[] | undefined,
): PrefixList {
  const out: PrefixList = { id };
  if (has(meta?.PrefixListName)) out.name = meta.PrefixListName;
  if (has(meta?.AddressFamily)) out.addressFamily = meta.AddressFamily;
  if (has(meta?.OwnerId)) out.ownerId = meta.OwnerId;
  if (entries) out.entries = entries;
  return out;
}

export const prefixLists: Lister = {
  kind: 'prefixLists',
  apis: [API, ENTRIES_API],
  // Which lists are referenced is only known completely when every page of groups was read.
  dependsOn: ['securityGroups'],
  // Kept per list: a list whose entries failed has no `entries`.
  keepsPartial: true,
  start(l) {
    const { DescribeManagedPrefixListsCommand, GetManagedPrefixListEntriesCommand } = ec2Sdk();
    const ec2 = l.ec2();
    const meta = new Map<string, AwsManagedPrefixList>();
    const entriesById = new Map<string, CidrEntry[] | undefined>();
    l.chain(
      'prefixLists',
      API,
      listPages(
        l,
        (token, abortSignal) =>
          ec2.send(new DescribeManagedPrefixListsCommand({ MaxResults: PAGE_SIZE, NextToken: token }), { abortSignal }),
        (p) => p.NextToken,
        (p) => {
          for (const pl of p.PrefixLists ?? []) if (pl.PrefixListId) meta.set(pl.PrefixListId, pl);
        },
      ),
    );
    const readEntries = (id: string) => {
      if (entriesById.has(id)) return;
      entriesById.set(id, undefined);
      const entries: CidrEntry[] = [];
      const work = listPages(
        l,
        (token, abortSignal) =>
          ec2.send(
            new GetManagedPrefixListEntriesCommand({ PrefixListId: id, MaxResults: PAGE_SIZE, NextToken: token }),
            { abortSignal },
          ),
        (p) => p.NextToken,
        (p) => entries.push(...convertPrefixListEntries(p.Entries)),
      ).then(() => {
        entriesById.set(id, entries);
      });
      l.followUp('prefixLists', ENTRIES_API, work, id);
    };
    l.watchSecurityGroups((sg) => {
      for (const id of referencedPrefixLists(sg)) readEntries(id);
    });
    return () => {
      l.rs.prefixLists = [...entriesById.keys()].map((id) => convertPrefixList(id, meta.get(id), entriesById.get(id)));
    };
  },
};
