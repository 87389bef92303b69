import type { Report, Reporter } from './model.js';

/** Top-level array elements serialised per JSON.stringify call (one call per element is ~2× slower). */
const BATCH = 2000;

/**
 * The JSON report in chunks, byte-identical to `JSON.stringify(report, null, 2) + '\n'`. Top-level
 * arrays (the findings) are serialised a batch of elements at a time, so a report larger than V8's
 * maximum string length (~512 MB, reached around 100k security groups with passing findings) can still
 * be written.
 */
export function* renderJsonChunks(report: Report): Generator<string> {
  let first = true;
  for (const [key, value] of Object.entries(report)) {
    const streamed = Array.isArray(value) && value.length > BATCH;
    const whole = streamed ? '' : JSON.stringify(value, null, 2);
    // JSON.stringify leaves out properties whose value it cannot represent (undefined, functions).
    if (whole === undefined) continue;
    const name = JSON.stringify(key);
    const lead = `${first ? '{\n' : ',\n'}  ${name}: `;
    first = false;
    if (!streamed) {
      yield lead + indent(whole);
      continue;
    }
    // Stringify `{ key: batch }`: its elements come out at exactly the report's indentation; keep the
    // text between `{\n  "key": [\n` and `\n  ]\n}`.
    const head = `{\n  ${name}: [\n`.length;
    const tail = '\n  ]\n}'.length;
    const items = value as unknown[];
    yield lead + '[\n';
    for (let i = 0; i < items.length; i += BATCH) {
      const text = JSON.stringify({ [key]: items.slice(i, i + BATCH) }, null, 2);
      yield (i === 0 ? '' : ',\n') + text.slice(head, text.length - tail);
    }
    yield '\n  ]';
  }
  yield first ? '{}\n' : '\n}\n';
}

/** Nested JSON.stringify output one level deeper. Strings never contain raw newlines (JSON escapes them). */
function indent(json: string): string {
  return json.includes('\n') ? json.replace(/\n/g, '\n  ') : json;
}

export const jsonReporter: Reporter = {
  format: 'json',
  render(report) {
    return JSON.stringify(report, null, 2) + '\n';
  },
  renderChunks(report) {
    return renderJsonChunks(report);
  },
};
