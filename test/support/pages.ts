/** Walks a cursor-paginated list route to its end and returns every item, in the order the pages gave them. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetchPage(cursor ?? undefined);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
