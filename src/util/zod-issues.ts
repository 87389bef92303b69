import type { z } from 'zod';

/** Render a zod issue path as `a.b[0].c`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/** One line per issue: `FILE: path: message`. */
export function formatIssues(file: string, error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): string[] {
  return error.issues.map((issue) => formatIssue(file, issue, prefix));
}

/** One issue as `FILE: path: expected …`. */
export function formatIssue(file: string, issue: z.core.$ZodIssue, prefix: ReadonlyArray<PropertyKey> = []): string {
  return `${file}: ${formatPath([...prefix, ...issue.path])}: ${describeIssue(issue)}`;
}

/** `a number <= 65535`, `at least 1 item`, `a string of at least 1 character`. */
function bound(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall, limit: number | bigint, big: boolean): string {
  const n = Number(limit);
  const op = big ? (issue.inclusive === false ? '<' : '<=') : issue.inclusive === false ? '>' : '>=';
  const atMost = big ? (issue.inclusive === false ? n - 1 : n) : issue.inclusive === false ? n + 1 : n;
  const word = big ? 'at most' : 'at least';
  switch (issue.origin) {
    case 'array':
    case 'set':
      return `${word} ${atMost} item${atMost === 1 ? '' : 's'}`;
    case 'string':
      return `a string of ${word} ${atMost} character${atMost === 1 ? '' : 's'}`;
    case 'number':
    case 'int':
    case 'bigint':
      return `a number ${op} ${String(limit)}`;
    default:
      return `${word} ${String(limit)}`;
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const m = /received (\w+)/.exec(issue.message);
      const got = m ? (m[1] === 'undefined' ? 'nothing' : m[1]) : undefined;
      return got ? `expected ${issue.expected}, got ${got}` : `expected ${issue.expected}`;
    }
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    // A schema's own message (`{ message: 'expected a non-empty reason' }`) is kept; zod's defaults
    // ("Too big: expected number to be <=65535") are reworded to the `expected …` form.
    case 'too_big':
      return /^Too big\b/.test(issue.message) ? `expected ${bound(issue, issue.maximum, true)}` : issue.message;
    case 'too_small':
      return /^Too small\b/.test(issue.message) ? `expected ${bound(issue, issue.minimum, false)}` : issue.message;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}
