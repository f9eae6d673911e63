import { InputError } from '@backstage/errors';
import { mapLimit } from './concurrency';
import { ZnodeAccess } from './ZnodeAccess';
import { compareNames, joinZnode, validateZnodePath } from './znodePath';

/** Search of znode paths below a prefix. */
export class ZnodeSearch extends ZnodeAccess {
  /**
   * Znode paths at or below `prefix` containing `query`, breadth first
   * (shallow matches first, siblings by name). Visits at most `maxVisited`
   * znodes and returns at most `maxResults` matches; `truncated` says when it
   * stopped early and why.
   */
  async search(
    prefix: string,
    query: string,
    options: {
      maxVisited?: number;
      maxResults?: number;
      caseSensitive?: boolean;
    } = {},
  ) {
    validateZnodePath(prefix, 'search prefix');
    if (!query)
      throw new InputError(
        'The search text "query" is empty; give a substring of the paths to find',
      );
    const maxVisited = this.capped(
      'maxVisited',
      options.maxVisited,
      this.limits.searchMaxVisited,
    );
    const maxResults = this.capped(
      'maxResults',
      options.maxResults,
      this.limits.searchMaxResults,
    );
    const fold = (s: string) => (options.caseSensitive ? s : s.toLowerCase());
    const needle = fold(query);
    const start = await this.call(prefix, 'search', () =>
      this.session.exists(prefix),
    );
    if (!start) throw await this.notFound(prefix);

    const matches: Array<{ path: string }> = [];
    let visited = 0;
    let truncatedReason: 'maxVisited' | 'maxResults' | undefined;
    let level = [prefix];
    while (level.length > 0 && !truncatedReason) {
      // Breadth first: examine this level, then list the children of what was examined.
      const examined: string[] = [];
      for (const path of level) {
        if (visited >= maxVisited) {
          truncatedReason = 'maxVisited';
          break;
        }
        if (fold(path).includes(needle)) {
          if (matches.length >= maxResults) {
            // A match beyond the limit: there are more than maxResults.
            truncatedReason = 'maxResults';
            break;
          }
          matches.push({ path });
        }
        visited++;
        examined.push(path);
      }
      if (truncatedReason) break;
      const listings = await mapLimit(examined, this.limits.concurrency, path =>
        this.call(path, 'search', () => this.session.getChildren(path)),
      );
      level = examined.flatMap((path, i) =>
        (listings[i]?.children ?? [])
          .sort(compareNames)
          .map(name => joinZnode(path, name)),
      );
    }
    const messages = {
      maxVisited: `Stopped after visiting ${visited} znodes (maxVisited); there are more under ${prefix}: search a deeper prefix`,
      maxResults: `There are more than ${maxResults} matches (maxResults); refine the query or search a deeper prefix`,
    };
    return {
      prefix,
      query,
      caseSensitive: !!options.caseSensitive,
      matches,
      visited,
      truncated: truncatedReason !== undefined,
      truncatedReason,
      message: truncatedReason && messages[truncatedReason],
    };
  }
}
