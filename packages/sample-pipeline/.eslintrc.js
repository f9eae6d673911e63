module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The suites run archon's real core plugin and modules (the one test
    // backend, @archon/test-utils), so test files import the plugins this
    // package drives; production code never does.
    '@backstage/no-mixed-plugin-imports': [
      'error',
      { excludedFiles: ['**/*.test.ts', '**/__testUtils__/**'] },
    ],
  },
});
