import fs from 'node:fs';
import path from 'node:path';
import { findPackageRoot } from './paths';
import { KAFKA_VERSION, ZOOKEEPER_VERSION } from './versions';

describe('pinned versions', () => {
  it('match the Maven project', () => {
    const pom = fs.readFileSync(
      path.join(findPackageRoot(), 'maven', 'pom.xml'),
      'utf8',
    );
    expect(pom).toContain(
      `<zookeeper.version>${ZOOKEEPER_VERSION}</zookeeper.version>`,
    );
    expect(pom).toContain(`<kafka.version>${KAFKA_VERSION}</kafka.version>`);
  });
});
