/**
 * Fast path for the two listings that make large collections CPU-bound: DescribeSecurityGroups and
 * DescribeNetworkInterfaces. A middleware on the command takes the raw body of a successful (HTTP 200)
 * response and parses it with the listing's walk (walk.ts) straight into snapshot records. The SDK then
 * deserialises a stub holding only the pagination token, so it stays in charge of signing, retries,
 * error responses (never touched here: only 200s are), pagination and metadata.
 */
import type { MiddlewareStack } from '@smithy/types';
import type { ParsedPage } from './walk.js';

/** The page as handed to the collector: records when the fast path parsed the body, else undefined. */
export interface FastHolder<T> {
  records: T[] | undefined;
}

const escapeXml = (s: string) =>
  s.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'));

async function readBody(body: unknown): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
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
