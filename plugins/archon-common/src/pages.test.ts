import { followCursors } from './pages';

const pages: Record<
  string,
  { items: number[]; nextCursor?: string; total: number }
> = {
  first: { items: [1, 2], nextCursor: 'a', total: 5 },
  a: { items: [3, 4], nextCursor: 'b', total: 5 },
  b: { items: [5], total: 5 },
};

describe('followCursors', () => {
  it('reads every page once, in order, and ends without nextCursor', async () => {
    const asked: Array<string | undefined> = [];
    const all = await followCursors(async (cursor?: string) => {
      asked.push(cursor);
      return pages[cursor ?? 'first'];
    });
    expect(asked).toEqual([undefined, 'a', 'b']);
    expect(all).toEqual({ items: [1, 2, 3, 4, 5], total: 5 });
  });

  it('stops at maxItems and keeps the cursor of what is left', async () => {
    const some = await followCursors(
      async (cursor?: string) => pages[cursor ?? 'first'],
      { maxItems: 3 },
    );
    expect(some).toEqual({ items: [1, 2, 3, 4], nextCursor: 'b', total: 5 });
  });

  it('fails instead of looping when a page repeats its cursor', async () => {
    await expect(
      followCursors(async () => ({ items: [1], nextCursor: 'same' }), {
        cursor: 'same',
      }),
    ).rejects.toThrow('the list repeated its cursor same');
  });
});
