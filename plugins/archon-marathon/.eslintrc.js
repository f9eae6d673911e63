module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // A module's suites run it inside the real core plugin (the one test
    // backend, @archon/test-utils), so test files import the plugin this
    // module extends; production code never does.
    '@backstage/no-mixed-plugin-imports': [
      'error',
      { excludedFiles: ['**/*.test.ts', '**/__testUtils__/**'] },
    ],
  },
});
