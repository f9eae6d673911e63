import { ConfigResolver } from './ConfigResolver';
import { createConfigTreeSnapshot } from './ConfigTreeSnapshot';
import { levelClassifier, openLevelReason } from './levelResolution';

const resolver = new ConfigResolver();

/** The sample pipeline's shape: upper levels reference what each app level defines. */
const sample = () =>
  createConfigTreeSnapshot({
    '/sample': { 'kafka.bootstrap': 'localhost:9092' },
    '/sample/pipeline': {
      'kafka.group': 'sample-${app.name}',
      'kafka.topic.out': 'sample.${app.stage}',
    },
    '/sample/pipeline/enricher': {
      'app.name': 'enricher',
      'app.stage': 'enriched',
    },
    '/sample/pipeline/aggregator': { 'app.name': 'aggregator' },
    '/other': { a: '${b}', b: '${a}' },
    '/other/child': { c: '1' },
  });

describe('levelClassifier', () => {
  it('shows an upper level that leaves references for deeper levels as open, not failing', () => {
    const classify = levelClassifier(resolver, sample(), new Set());
    const tmpl = classify('/sample/pipeline');
    expect(tmpl.state).toBe('open');
    if (tmpl.state !== 'open') return;
    expect(tmpl.openKeys).toEqual(['app.name', 'app.stage']);
    expect(openLevelReason(tmpl)).toBe(
      'leaves ${app.name}, ${app.stage} for the levels below to define (used by kafka.group, kafka.topic.out); each path below resolves it itself',
    );
    expect(classify('/sample').state).toBe('resolves');
    expect(classify('/sample/pipeline/enricher').state).toBe('resolves');
  });

  it('fails a leaf that does not define what its upper levels reference', () => {
    const classify = levelClassifier(resolver, sample(), new Set());
    const leaf = classify('/sample/pipeline/aggregator');
    expect(leaf.state).toBe('failing');
    if (leaf.state !== 'failing') return;
    expect(leaf.failure.unresolvedKeys).toEqual(['kafka.topic.out']);
  });

  it('fails an upper level that apps were deployed from', () => {
    const classify = levelClassifier(
      resolver,
      sample(),
      new Set(['/sample/pipeline']),
    );
    expect(classify('/sample/pipeline').state).toBe('failing');
  });

  it('fails an upper level whose problem no deeper level can repair (a cycle)', () => {
    const classify = levelClassifier(resolver, sample(), new Set());
    expect(classify('/other').state).toBe('failing');
    expect(classify('/other/child').state).toBe('failing');
  });

  it('counts only levels holding a set as deeper levels', () => {
    const levels = createConfigTreeSnapshot({
      '/t': { url: '${host}' },
      '/t/empty/deeper': null,
    });
    expect(levelClassifier(resolver, levels, new Set())('/t').state).toBe(
      'failing',
    );
  });
});
