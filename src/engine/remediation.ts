/**
 * Remediation lists as findings carry them. A command builder that meets a value it must not put in a
 * command (an id not in its AWS format) emits a `# No command: …` line instead of the command; this module
 * owns that marker. A finding whose list holds such a line keeps only those lines: a fix sequence with one
 * step missing (allow the narrower rule, then revoke the broad one) is worse than none.
 */

/** Start of a remediation line that stands for a command that was not built. A shell comment: inert if pasted. */
export const NO_COMMAND = '# No command: ';

/** The remediation a finding carries: the list as built, or only its `# No command` lines when it has any. */
export function finishRemediation(list: readonly string[] | undefined): string[] {
  if (list === undefined || list.length === 0) return [];
  let blocked = false;
  for (const line of list) {
    if (line.startsWith(NO_COMMAND)) {
      blocked = true;
      break;
    }
  }
  if (!blocked) return list as string[];
  return [...new Set(list.filter((line) => line.startsWith(NO_COMMAND)))];
}
