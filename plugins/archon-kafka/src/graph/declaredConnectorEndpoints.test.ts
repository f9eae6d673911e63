import { declaredConnectorEndpoints } from './declaredConnectorTopics';

describe('declaredConnectorEndpoints', () => {
  it("reads a source's file and http(s) URL keys as what it reads, a sink's as what it writes", () => {
    expect(
      declaredConnectorEndpoints(
        {
          'connector.class': 'x.HttpSourceConnector',
          file: '/data/./in//a.txt',
          'http.api.url': 'https://user:secret@api.example.com/v1/items/',
          'connection.url': 'jdbc:postgresql://db:5432/shop',
          urls: 'http://a.example.com, http://b.example.com/x',
          'url.encoding': 'utf-8',
        },
        'source',
      ),
    ).toEqual({
      reads: [
        { endpoint: 'file:/data/in/a.txt', declared: 'config file' },
        // No credentials in the graph; one trailing slash does not make another endpoint.
        {
          endpoint: 'https://api.example.com/v1/items',
          declared: 'config http.api.url',
        },
        { endpoint: 'http://a.example.com', declared: 'config urls' },
        { endpoint: 'http://b.example.com/x', declared: 'config urls' },
      ],
    });
    expect(
      declaredConnectorEndpoints(
        { 'connection.url': 'http://es:9200' },
        'sink',
      ),
    ).toEqual({
      writes: [
        { endpoint: 'http://es:9200', declared: 'config connection.url' },
      ],
    });
  });

  it('declares nothing for a relative file, other connector types or no endpoint keys', () => {
    expect(declaredConnectorEndpoints({ file: 'in.txt' }, 'source')).toBe(
      undefined,
    );
    expect(declaredConnectorEndpoints({ file: '/in.txt' }, 'unknown')).toBe(
      undefined,
    );
    expect(declaredConnectorEndpoints({ topic: 'a' }, 'sink')).toBe(undefined);
  });
});
