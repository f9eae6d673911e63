import { isUnderConfigPathPrefix } from './configPathRules';

describe('IS_UNDER_CONFIG_PATH_PREFIX', () => {
  const under = (prefix: string, path: string) =>
    isUnderConfigPathPrefix.apply({ path }, { prefix });

  it('covers a prefix and what is below it, never a sibling that shares its letters', () => {
    expect(under('/team-a', '/team-a')).toBe(true);
    expect(under('/team-a', '/team-a/shop/cart')).toBe(true);
    expect(under('/team-a', '/team-ab/cart')).toBe(false);
    expect(under('/team-a', '/team-b/cart')).toBe(false);
    expect(under('/', '/anything')).toBe(true);
  });

  it('decides Marathon app ids of apps archon did not deploy the same way; an id that is no path matches only /', () => {
    // The Marathon module asks with the app id as the path.
    expect(under('/team-a', '/team-a/legacy/cart')).toBe(true);
    expect(under('/team-a', '/team-a/cart.v2')).toBe(false);
    expect(under('/', '/team-a/cart.v2')).toBe(true);
  });
});
