/**
 * The fast path for DescribeSecurityGroups / DescribeNetworkInterfaces (src/collect/fast-xml/) gives
 * exactly the records of the SDK path (SDK deserialisation + convert.ts): same values, same key order,
 * on the fake endpoint's estates and on hand-written AWS-style bodies with the edge cases; and where it
 * steps aside, the SDK's own handling (records or error) is what comes out.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, test } from 'vitest';
import { generateEstate } from '../../../support/estate/index.js';
import { makeRequestHandler } from '../../../src/collect/aws/clients.js';
import { Scrubber } from '../../../src/collect/aws/errors.js';
import { withFastPath } from '../../../src/collect/fast-xml/middleware.js';
import { parseNetworkInterfacesPage } from '../../../src/collect/fast-xml/network-interfaces.js';
import { parseSecurityGroupsPage } from '../../../src/collect/fast-xml/security-groups.js';
import { convertNetworkInterface } from '../../../src/collect/listings/network-interfaces.js';
import { convertSecurityGroup } from '../../../src/collect/listings/security-groups.js';
import { collectRegion } from '../../../src/collect/region.js';
import { CallRunner } from '../../../src/collect/runner.js';
import {
  RegionSnapshotSchema,
  RESOURCE_KINDS,
  type NetworkInterface,
  type RegionSnapshot,
  type SecurityGroup,
} from '../../../src/snapshot/schema.js';
import { fixtureRegion } from '../../../support/fake-aws/fixture.js';
import { startFakeAws, type FakeAws } from '../../../support/fake-aws/server.js';

const ACCOUNT = '123456789012';
const credentials = async () => ({ accessKeyId: 'AKIASGAUDITFAST00001', secretAccessKey: 'fastPathSecret/0123456789' });

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A server answering every request with this status and body. */
async function rawServer(status: number, body: string): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

function client(url: string): EC2Client {
  const c = new EC2Client({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 1 });
  closers.push(async () => c.destroy());
  return c;
}

type Outcome = { records: unknown[]; nextToken?: string } | { error: string };

/** The SDK path: SDK output, then convert.ts. */
async function viaSdk(url: string, kind: 'sg' | 'eni'): Promise<Outcome> {
  try {
    if (kind === 'sg') {
      const out = await client(url).send(new DescribeSecurityGroupsCommand({}));
      return { records: (out.SecurityGroups ?? []).map(convertSecurityGroup), nextToken: out.NextToken };
    }
    const out = await client(url).send(new DescribeNetworkInterfacesCommand({}));
    return { records: (out.NetworkInterfaces ?? []).map(convertNetworkInterface), nextToken: out.NextToken };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** The fast path as region.ts uses it; `fast` tells whether the fast parser took the page. */
async function viaFast(url: string, kind: 'sg' | 'eni'): Promise<{ outcome: Outcome; fast: boolean }> {
  let fast = false;
  try {
    if (kind === 'sg') {
      const cmd = new DescribeSecurityGroupsCommand({});
      const holder = withFastPath(cmd, 'DescribeSecurityGroupsResponse', parseSecurityGroupsPage);
      const out = await client(url).send(cmd);
      fast = holder.records !== undefined;
      return {
        outcome: {
          records: holder.records ?? (out.SecurityGroups ?? []).map(convertSecurityGroup),
          nextToken: out.NextToken,
        },
        fast,
      };
    }
    const cmd = new DescribeNetworkInterfacesCommand({});
    const holder = withFastPath(cmd, 'DescribeNetworkInterfacesResponse', parseNetworkInterfacesPage);
    const out = await client(url).send(cmd);
    fast = holder.records !== undefined;
    return {
      outcome: {
        records: holder.records ?? (out.NetworkInterfaces ?? []).map(convertNetworkInterface),
        nextToken: out.NextToken,
      },
      fast,
    };
  } catch (err) {
    return { outcome: { error: `${(err as Error).name}: ${(err as Error).message}` }, fast };
  }
}

/** Both paths on one body: identical outcome, including key order (the snapshot is JSON). */
async function compare(kind: 'sg' | 'eni', body: string, status = 200): Promise<{ outcome: Outcome; fast: boolean }> {
  const { url } = await rawServer(status, body);
  const reference = await viaSdk(url, kind);
  const got = await viaFast(url, kind);
  expect(got.outcome).toEqual(reference);
  expect(JSON.stringify(got.outcome)).toBe(JSON.stringify(reference));
  return got;
}

const EC2_NS = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"';

/** Pretty-printed like AWS, with fields sg-audit does not read (securityGroupArn, securityGroupRuleId…). */
const SG_BODY = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeSecurityGroupsResponse ${EC2_NS}>
    <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
    <securityGroupInfo>
        <item>
            <ownerId>123456789012</ownerId>
            <groupId>sg-0aaa</groupId>
            <groupName>web &amp; "api"</groupName>
            <groupDescription>Public &lt;https&gt; &#xD;&#xA;line two &#233;t&#xe9; &apos;q&apos;</groupDescription>
            <ipPermissions>
                <item>
                    <ipProtocol>tcp</ipProtocol>
                    <fromPort>443</fromPort>
                    <toPort>443</toPort>
                    <groups/>
                    <ipRanges>
                        <item>
                            <cidrIp>0.0.0.0/0</cidrIp>
                            <description>HTTPS &amp; more</description>
                        </item>
                        <item>
                            <cidrIp>10.0.0.0/8</cidrIp>
                            <description></description>
                        </item>
                    </ipRanges>
                    <ipv6Ranges>
                        <item>
                            <cidrIpv6>::/0</cidrIpv6>
                        </item>
                        <item>
                            <cidrIpv6>2001:db8::/32</cidrIpv6>
                            <description>v6 <![CDATA[<raw & cdata>]]> tail</description>
                        </item>
                    </ipv6Ranges>
                    <prefixListIds>
                        <item>
                            <prefixListId>pl-0123</prefixListId>
                            <description>office</description>
                        </item>
                        <item>
                            <prefixListId>pl-4567</prefixListId>
                        </item>
                    </prefixListIds>
                </item>
                <item>
                    <ipProtocol>-1</ipProtocol>
                    <groups>
                        <item>
                            <userId>210987654321</userId>
                            <groupId>sg-0peer</groupId>
                            <vpcId>vpc-0peer</vpcId>
                            <vpcPeeringConnectionId>pcx-0123</vpcPeeringConnectionId>
                            <peeringStatus>active</peeringStatus>
                            <description>cross-account</description>
                        </item>
                        <item>
                            <userId>123456789012</userId>
                            <groupName>legacy</groupName>
                        </item>
                        <item>
                            <userId>amazon-elb</userId>
                            <groupId>sg-843f59ed</groupId>
                            <groupName>amazon-elb-sg</groupName>
                        </item>
                    </groups>
                    <ipRanges/>
                    <ipv6Ranges/>
                    <prefixListIds/>
                </item>
                <item>
                    <ipProtocol>icmp</ipProtocol>
                    <fromPort>-1</fromPort>
                    <toPort>-1</toPort>
                    <groups/>
                    <ipRanges><item><cidrIp>192.0.2.0/24</cidrIp></item></ipRanges>
                </item>
            </ipPermissions>
            <ipPermissionsEgress>
                <item>
                    <ipProtocol>-1</ipProtocol>
                    <groups/>
                    <ipRanges>
                        <item>
                            <cidrIp>0.0.0.0/0</cidrIp>
                        </item>
                    </ipRanges>
                    <ipv6Ranges/>
                    <prefixListIds/>
                </item>
            </ipPermissionsEgress>
            <tagSet>
                <item>
                    <key>Name</key>
                    <value>web &lt;tier&gt;</value>
                </item>
                <item>
                    <key>Tier</key>
                    <value>web</value>
                </item>
                <item>
                    <key>empty</key>
                    <value/>
                </item>
                <item>
                    <key>novalue</key>
                </item>
                <item>
                    <key>Tier</key>
                    <value>web2</value>
                </item>
            </tagSet>
            <vpcId>vpc-0abc</vpcId>
            <securityGroupArn>arn:aws:ec2:us-east-1:123456789012:security-group/sg-0aaa</securityGroupArn>
        </item>
        <item>
            <ownerId>123456789012</ownerId>
            <groupId>sg-0bbb</groupId>
            <groupName>bare</groupName>
            <groupDescription/>
            <ipPermissions/>
            <ipPermissionsEgress/>
            <vpcId/>
        </item>
        <item>
            <groupId>sg-0ccc</groupId>
            <groupName>classic</groupName>
        </item>
    </securityGroupInfo>
    <nextToken>tok&amp;en+/=</nextToken>
</DescribeSecurityGroupsResponse>`;

const ENI_BODY = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeNetworkInterfacesResponse ${EC2_NS}>
    <requestId>fc45294c-006b-457b-bab9-012f5b3b0e40</requestId>
    <networkInterfaceSet>
        <item>
            <networkInterfaceId>eni-0f7db31d02f1e3a5c</networkInterfaceId>
            <subnetId>subnet-0a1</subnetId>
            <vpcId>vpc-0abc</vpcId>
            <availabilityZone>us-east-1a</availabilityZone>
            <description>Primary &amp; only</description>
            <ownerId>123456789012</ownerId>
            <requesterId>AIDAEXAMPLE</requesterId>
            <requesterManaged>false</requesterManaged>
            <status>in-use</status>
            <macAddress>02:74:b0:72:79:61</macAddress>
            <privateIpAddress>10.0.0.134</privateIpAddress>
            <sourceDestCheck>true</sourceDestCheck>
            <groupSet>
                <item>
                    <groupId>sg-0aaa</groupId>
                    <groupName>web</groupName>
                </item>
                <item>
                    <groupId>sg-0bbb</groupId>
                    <groupName>bare</groupName>
                </item>
            </groupSet>
            <attachment>
                <attachmentId>eni-attach-0</attachmentId>
                <instanceId>i-0123</instanceId>
                <instanceOwnerId>123456789012</instanceOwnerId>
                <deviceIndex>0</deviceIndex>
                <status>attached</status>
                <enaSrdSpecification><enaSrdEnabled>false</enaSrdEnabled><status>ignored</status></enaSrdSpecification>
            </attachment>
            <association>
                <publicIp>203.0.113.12</publicIp>
                <ipOwnerId>amazon</ipOwnerId>
            </association>
            <tagSet>
                <item><key>Name</key><value>primary</value></item>
            </tagSet>
            <privateIpAddressesSet>
                <item>
                    <privateIpAddress>10.0.0.134</privateIpAddress>
                    <primary>true</primary>
                    <association><publicIp>203.0.113.12</publicIp><status>x</status></association>
                </item>
                <item>
                    <privateIpAddress>10.0.0.135</privateIpAddress>
                    <primary>false</primary>
                    <association><publicIp>198.51.100.9</publicIp><allocationId>eipalloc-1</allocationId></association>
                </item>
                <item><privateIpAddress>10.0.0.136</privateIpAddress><primary>false</primary></item>
                <item><primary>false</primary></item>
            </privateIpAddressesSet>
            <ipv6AddressesSet>
                <item><ipv6Address>2001:db8::86</ipv6Address><isPrimaryIpv6>true</isPrimaryIpv6></item>
                <item><isPrimaryIpv6>false</isPrimaryIpv6></item>
            </ipv6AddressesSet>
            <interfaceType>interface</interfaceType>
        </item>
        <item>
            <networkInterfaceId>eni-0lambda</networkInterfaceId>
            <interfaceType>lambda</interfaceType>
            <description/>
            <requesterManaged>TRUE</requesterManaged>
            <status>in-use</status>
            <groupSet/>
            <attachment/>
            <tagSet/>
        </item>
        <item>
            <networkInterfaceId>eni-0v6</networkInterfaceId>
            <association/>
            <privateIpAddressesSet/>
            <ipv6AddressesSet><item><ipv6Address>2001:db8::1</ipv6Address></item></ipv6AddressesSet>
        </item>
        <item>
            <networkInterfaceId>eni-0min</networkInterfaceId>
            <groupSet><item><groupName>no-id</groupName></item></groupSet>
            <attachment><deviceIndex>1</deviceIndex></attachment>
        </item>
    </networkInterfaceSet>
</DescribeNetworkInterfacesResponse>`;

describe('fast path = SDK path on AWS-style bodies', () => {
  test('security groups: entities, CRLF and CDATA, IPv6, prefix lists, cross-account and peered pairs, tags, empty lists, unknown fields', async () => {
    const got = await compare('sg', SG_BODY);
    expect(got.fast).toBe(true);
    const out = got.outcome as { records: { groupId: string }[]; nextToken: string };
    expect(out.records.map((g) => g.groupId)).toEqual(['sg-0aaa', 'sg-0bbb', 'sg-0ccc']);
    expect(out.nextToken).toBe('tok&en+/=');
    expect(out.records[0]).toMatchObject({
      description: "Public <https> \r\nline two été 'q'",
      tags: { Name: 'web <tier>', Tier: 'web2', empty: '', novalue: '' },
    });
  });

  test('network interfaces: nested fields of the same names, empty attachment and groups, booleans', async () => {
    const got = await compare('eni', ENI_BODY);
    expect(got.fast).toBe(true);
    const out = got.outcome as { records: unknown[] };
    expect(out.records).toHaveLength(4);
    expect(out.records[0]).toMatchObject({
      status: 'in-use',
      attachment: { instanceId: 'i-0123', status: 'attached' },
      requesterManaged: false,
    });
    expect(out.records[1]).toMatchObject({ requesterManaged: true, attachment: {} });
    expect(out.records[1]).not.toHaveProperty('description');
    // Issue #12: subnet, the primary public IPv4, every private address with its Elastic IP, IPv6 addresses;
    // items without an address are dropped on both paths.
    const addresses = (out.records as NetworkInterface[]).map((n) => [
      n.subnetId,
      n.publicIp,
      n.privateIpAddresses,
      n.ipv6Addresses,
    ]);
    expect(addresses).toEqual([
      [
        'subnet-0a1',
        '203.0.113.12',
        [
          { address: '10.0.0.134', primary: true, publicIp: '203.0.113.12' },
          { address: '10.0.0.135', primary: false, publicIp: '198.51.100.9' },
          { address: '10.0.0.136', primary: false },
        ],
        ['2001:db8::86'],
      ],
      [undefined, undefined, [], []],
      [undefined, undefined, [], ['2001:db8::1']],
      [undefined, undefined, [], []],
    ]);
    // Attachment.DeviceIndex (0: the instance's primary interface), read on both paths; absent when not sent.
    expect((out.records as NetworkInterface[]).map((n) => n.attachment?.deviceIndex)).toEqual([
      0,
      undefined,
      undefined,
      1,
    ]);
  });

  test.each([
    ['0', 0],
    ['2', 2],
    ['15', 15],
    // An empty element is 0 to the SDK (Number('')); the fast path reads it the same way.
    ['', 0],
  ])('network interfaces: deviceIndex %s is read as %d on both paths', async (given, expected) => {
    const got = await compare(
      'eni',
      wrapEni(
        `<networkInterfaceId>eni-1</networkInterfaceId><attachment><deviceIndex>${given}</deviceIndex></attachment>`,
      ),
    );
    expect(got.fast).toBe(true);
    expect((got.outcome as { records: NetworkInterface[] }).records[0].attachment).toEqual({ deviceIndex: expected });
  });

  test('an empty page', async () => {
    const sg = await compare(
      'sg',
      `<DescribeSecurityGroupsResponse ${EC2_NS}><requestId>r</requestId><securityGroupInfo/></DescribeSecurityGroupsResponse>`,
    );
    expect(sg).toEqual({ outcome: { records: [] }, fast: true });
    const eni = await compare(
      'eni',
      `<DescribeNetworkInterfacesResponse ${EC2_NS}><requestId>r</requestId><networkInterfaceSet/></DescribeNetworkInterfacesResponse>`,
    );
    expect(eni).toEqual({ outcome: { records: [] }, fast: true });
  });

  const wrapSg = (item: string) =>
    `<?xml version="1.0"?><DescribeSecurityGroupsResponse ${EC2_NS}><securityGroupInfo><item>${item}</item></securityGroupInfo></DescribeSecurityGroupsResponse>`;
  const wrapEni = (item: string) =>
    `<?xml version="1.0"?><DescribeNetworkInterfacesResponse ${EC2_NS}><networkInterfaceSet><item>${item}</item></networkInterfaceSet></DescribeNetworkInterfacesResponse>`;

  // The SDK reads an empty item as {}: a tag without a key and a pair or group without an id are dropped,
  // in security groups and network interfaces alike, and the fast parser keeps the page.
  test.each([
    [
      'sg',
      'an empty tag item',
      wrapSg(
        '<groupId>sg-1</groupId><groupName>x</groupName><tagSet><item/><item></item><item><key>a</key></item></tagSet>',
      ),
    ],
    [
      'sg',
      'an empty group pair',
      wrapSg(
        '<groupId>sg-1</groupId><groupName>x</groupName><ipPermissions><item><ipProtocol>tcp</ipProtocol><groups><item/></groups></item></ipPermissions>',
      ),
    ],
    [
      'eni',
      'an empty tag item',
      wrapEni(
        '<networkInterfaceId>eni-1</networkInterfaceId><tagSet><item/><item></item><item><key>a</key></item></tagSet>',
      ),
    ],
    [
      'eni',
      'an empty private address item',
      wrapEni('<networkInterfaceId>eni-1</networkInterfaceId><privateIpAddressesSet><item/></privateIpAddressesSet>'),
    ],
    [
      'eni',
      'an empty IPv6 address item',
      wrapEni('<networkInterfaceId>eni-1</networkInterfaceId><ipv6AddressesSet><item/></ipv6AddressesSet>'),
    ],
    [
      'eni',
      'an empty group item',
      wrapEni('<networkInterfaceId>eni-1</networkInterfaceId><groupSet><item/></groupSet>'),
    ],
  ] as const)('%s: %s is dropped', async (kind, _name, body) => {
    const got = await compare(kind, body);
    expect(got.fast).toBe(true);
    expect((got.outcome as { records: unknown[] }).records).toHaveLength(1);
  });

  // Bodies the fast parser leaves to the SDK: the outcome (error or records) is the SDK's.
  test.each([
    ['a group without groupId', wrapSg('<groupName>x</groupName>')],
    [
      'a rule without ipProtocol',
      wrapSg(
        '<groupId>sg-1</groupId><groupName>x</groupName><ipPermissions><item><fromPort>1</fromPort></item></ipPermissions>',
      ),
    ],
    [
      'a range without cidrIp',
      wrapSg(
        '<groupId>sg-1</groupId><groupName>x</groupName><ipPermissions><item><ipProtocol>tcp</ipProtocol><ipRanges><item><description>d</description></item></ipRanges></item></ipPermissions>',
      ),
    ],
    [
      'a non-numeric port',
      wrapSg(
        '<groupId>sg-1</groupId><groupName>x</groupName><ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>http</fromPort></item></ipPermissions>',
      ),
    ],
    ['an entity XML does not define', wrapSg('<groupId>sg-1</groupId><groupName>a&nbsp;b</groupName>')],
    ['a repeated field', wrapSg('<groupId>sg-1</groupId><groupId>sg-2</groupId><groupName>x</groupName>')],
    [
      'an empty rule item',
      wrapSg('<groupId>sg-1</groupId><groupName>x</groupName><ipPermissions><item/></ipPermissions>'),
    ],
    [
      'malformed XML',
      wrapSg('<groupId>sg-1</groupId><groupName>x</groupName').replace('</DescribeSecurityGroupsResponse>', ''),
    ],
  ])('steps aside on %s', async (_name, body) => {
    const got = await compare('sg', body);
    expect(got.fast).toBe(false);
  });

  // Issue #12: the address fields follow the same rules (each list or association once, one value per field).
  test.each([
    ['a repeated association', '<association><publicIp>a</publicIp></association><association/>'],
    ['a repeated publicIp', '<association><publicIp>a</publicIp><publicIp>b</publicIp></association>'],
    ['a repeated address list', '<privateIpAddressesSet/><privateIpAddressesSet/>'],
    [
      'a repeated address association',
      '<privateIpAddressesSet><item><privateIpAddress>10.0.0.1</privateIpAddress><association/><association/></item></privateIpAddressesSet>',
    ],
    ['a repeated IPv6 list', '<ipv6AddressesSet/><ipv6AddressesSet/>'],
    ['a repeated subnetId', '<subnetId>subnet-1</subnetId><subnetId>subnet-2</subnetId>'],
    ['a repeated attachment', '<attachment><deviceIndex>0</deviceIndex></attachment><attachment/>'],
    ['a repeated deviceIndex', '<attachment><deviceIndex>0</deviceIndex><deviceIndex>1</deviceIndex></attachment>'],
  ])('network interfaces: steps aside on %s', async (_name, fields) => {
    const got = await compare('eni', wrapEni(`<networkInterfaceId>eni-1</networkInterfaceId>${fields}`));
    expect(got.fast).toBe(false);
  });

  // A device index that is not an integer ≥ 0 is left to the SDK path, where convertNetworkInterface rejects it.
  test.each([
    ['-1', '-1'],
    ['abc', 'NaN'],
    ['1.5', '1.5'],
  ])('network interfaces: steps aside on deviceIndex %j; the SDK path rejects it', async (given, shown) => {
    const got = await compare(
      'eni',
      wrapEni(
        `<networkInterfaceId>eni-1</networkInterfaceId><attachment><deviceIndex>${given}</deviceIndex></attachment>`,
      ),
    );
    expect(got.fast).toBe(false);
    expect(got.outcome).toEqual({
      error: `InvalidResponse: network interface eni-1: Attachment.DeviceIndex: expected an integer ≥ 0 (got ${shown})`,
    });
  });

  // AWS's value space (EC2 API reference, IpPermission): out-of-range ports and unknown protocols are left to the
  // SDK path, where convertSecurityGroup rejects them with the snapshot schema's wording.
  const rule = (protocol: string, from?: number, to?: number) =>
    wrapSg(
      `<groupId>sg-1</groupId><groupName>x</groupName><ipPermissions><item><ipProtocol>${protocol}</ipProtocol>` +
        (from !== undefined ? `<fromPort>${from}</fromPort>` : '') +
        (to !== undefined ? `<toPort>${to}</toPort>` : '') +
        '<ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></ipPermissions>',
    );
  test.each([
    ['tcp toPort 70000', rule('tcp', 443, 70000), 'IpPermissions[0].ToPort: expected an integer 0–65535 (got 70000)'],
    ['tcp fromPort -5', rule('tcp', -5, 443), 'IpPermissions[0].FromPort: expected an integer 0–65535 (got -5)'],
    [
      'a reversed tcp range',
      rule('tcp', 443, 80),
      'IpPermissions[0].ToPort: expected an integer 443–65535, not below FromPort (got 80)',
    ],
    [
      'ICMP type 256',
      rule('icmp', 256, -1),
      'IpPermissions[0].FromPort: expected an ICMP type, an integer -1 (all types) to 255 (got 256)',
    ],
    [
      'protocol "bogus"',
      rule('bogus', 22, 22),
      'IpPermissions[0].IpProtocol: expected -1, tcp, udp, icmp, icmpv6 or an IP protocol number 0–255 (got "bogus")',
    ],
    [
      'protocol 256',
      rule('256'),
      'IpPermissions[0].IpProtocol: expected -1, tcp, udp, icmp, icmpv6 or an IP protocol number 0–255 (got "256")',
    ],
  ])('steps aside on %s; the SDK path rejects it', async (_name, body, message) => {
    const got = await compare('sg', body);
    expect(got.fast).toBe(false);
    expect(got.outcome).toEqual({ error: `InvalidResponse: security group sg-1: ${message}` });
  });

  test.each([
    ['6', 'tcp'],
    ['17', 'udp'],
    ['1', 'icmp'],
    ['58', 'icmpv6'],
    ['TCP', 'tcp'],
    ['050', '50'],
    ['-1', '-1'],
  ])('protocol %s is collected as %s on both paths', async (given, normalised) => {
    const ports = ['6', '17', 'TCP'].includes(given) ? [22, 22] : ['1', '58'].includes(given) ? [8, -1] : [];
    const got = await compare('sg', rule(given, ports[0], ports[1]));
    expect(got.fast).toBe(true);
    expect((got.outcome as { records: SecurityGroup[] }).records[0].ingress[0].protocol).toBe(normalised);
  });

  test('error responses never reach the fast parser', async () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>r1</RequestID></Response>`;
    const got = await compare('sg', body, 403);
    expect(got).toEqual({
      outcome: { error: 'UnauthorizedOperation: You are not authorized to perform this operation.' },
      fast: false,
    });
  });
});

describe('collectRegion: fast path on and off give the same region', () => {
  async function collectBoth(estate: RegionSnapshot): Promise<[RegionSnapshot, RegionSnapshot, FakeAws]> {
    const aws = await startFakeAws({ estates: new Map([[estate.region, estate]]), accountId: estate.accountId });
    closers.push(() => aws.close());
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = aws.url;
    closers.push(async () => {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    });
    const run = (fastXml: boolean) => {
      const requestHandler = makeRequestHandler(8, 10_000);
      return collectRegion({
        accountId: estate.accountId,
        region: estate.region,
        credentials,
        needs: new Set(RESOURCE_KINDS),
        sdk: { retryMode: 'standard', maxAttempts: 3, requestHandler, fastXml },
        runner: new CallRunner(8),
        scrubber: new Scrubber({}),
        now: () => new Date('2026-01-01T00:00:00.000Z'),
      }).finally(() => requestHandler.destroy());
    };
    return [await run(true), await run(false), aws];
  }

  test('the live-collection fixture (every field the fake endpoint serves)', async () => {
    const [fast, sdk] = await collectBoth(fixtureRegion(ACCOUNT, 'eu-west-1'));
    expect(fast.errors).toEqual([]);
    expect(fast).toEqual(sdk);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(sdk));
  });

  test('a generated region over several pages (2,500 groups and interfaces)', async () => {
    const estate = generateEstate({ sgs: 2500, regions: 1, seed: 7, enisPerSg: 1 }).regions[0];
    const [fast, sdk, aws] = await collectBoth(estate);
    // The fast parser took the endpoint's pages (it did not step aside).
    expect((await viaFast(aws.url, 'sg')).fast).toBe(true);
    expect((await viaFast(aws.url, 'eni')).fast).toBe(true);
    expect(aws.stats.byAction['ec2:DescribeSecurityGroups']).toBe(7); // 3 pages per collection, 1 above
    expect(fast.errors).toEqual([]);
    expect(fast.securityGroups).toHaveLength(2500);
    expect(fast.networkInterfaces).toHaveLength(estate.networkInterfaces.length);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(sdk));
    // And both are what the endpoint served, protocols spelled as the snapshot schema normalises them
    // (the generator serves tcp as "6" too; collection gives "tcp", as loading a snapshot does).
    expect(estate.securityGroups.some((g) => g.ingress.some((p) => p.protocol === '6'))).toBe(true);
    expect(fast.securityGroups).toEqual(RegionSnapshotSchema.parse(estate).securityGroups);
    // The generator gives every interface its subnet and addresses (support/estate/network.ts); collection
    // reads them back as served.
    expect(estate.networkInterfaces.every((n) => n.subnetId && n.privateIpAddresses?.length)).toBe(true);
    expect(fast.networkInterfaces).toEqual(estate.networkInterfaces);
  });
});
