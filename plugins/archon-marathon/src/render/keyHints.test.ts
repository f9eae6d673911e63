import { MARATHON_KEY_HINTS } from '@archon/plugin-archon-common';
import { MARATHON_KEYS } from './renderApp';

describe('the Marathon key hints of the set editor', () => {
  it('describe exactly the keys the renderer reads', () => {
    expect(Object.keys(MARATHON_KEY_HINTS).sort()).toEqual(
      [...MARATHON_KEYS].sort(),
    );
  });
});
