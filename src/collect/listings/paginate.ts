/** Follow a NextToken/Marker chain, handing each page over as soon as it arrives. */
export async function paginate<T>(
  fetchPage: (token: string | undefined) => Promise<T>,
  nextToken: (page: T) => string | undefined,
  onPage: (page: T) => void,
): Promise<void> {
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    onPage(page);
    token = nextToken(page) || undefined;
    if (token !== undefined) {
      if (seen.has(token)) {
        const loop = new Error('the service returned the same pagination token twice');
        throw Object.assign(loop, { code: 'PaginationLoop' });
      }
      seen.add(token);
    }
  } while (token !== undefined);
}
