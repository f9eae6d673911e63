import { archonApiEntities } from './archonApiEntities';
import { spec } from '../schema/openapi';

describe('archonApiEntities', () => {
  it('describes archon and the API it provides with the served spec as definition', () => {
    const [component, api] = archonApiEntities({
      owner: 'group:default/platform',
      baseUrl: 'http://localhost:7007/',
      spec,
    });
    expect(component.metadata.name).toBe('archon');
    expect(component.spec).toMatchObject({
      type: 'service',
      owner: 'group:default/platform',
      providesApis: ['archon-api'],
    });
    expect(api.metadata.name).toBe('archon-api');
    expect(api.spec).toMatchObject({
      type: 'openapi',
      owner: 'group:default/platform',
    });
    expect(JSON.parse(api.spec.definition as string)).toEqual(
      JSON.parse(JSON.stringify(spec)),
    );
    expect(api.metadata.annotations?.['backstage.io/managed-by-location']).toBe(
      'url:http://localhost:7007/api/archon/openapi.json',
    );
  });
});
