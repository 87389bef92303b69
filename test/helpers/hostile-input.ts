/** Hostile inputs for the reader tests (issue #10): YAML alias bombs. */

/** A billion-laughs document: 9 levels of 9 aliases, 9^9 strings if expanded, under `lastKey`. */
export function aliasBomb(lastKey = 'tiers'): string {
  const names = 'abcdefghi';
  let y = `a: &a [${Array(9).fill('"lol"').join(', ')}]\n`;
  for (let i = 1; i < names.length; i++)
    y += `${names[i]}: &${names[i]} [${Array(9)
      .fill(`*${names[i - 1]}`)
      .join(', ')}]\n`;
  return y + `${lastKey}: *i\n`;
}
