// One embedding cache for the whole test run: the first server to embed the O*NET taxonomy (or a
// demo profile) pays for it, every later server in every test file re-uses the vectors. Jest
// starts its workers after this runs, so they inherit the variable.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async function globalSetup() {
  if (!process.env.MATCHHUB_TEST_EMBEDDING_CACHE) {
    process.env.MATCHHUB_TEST_EMBEDDING_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-test-vectors-'));
    process.env.MATCHHUB_TEST_EMBEDDING_CACHE_OWNED = '1';
  }
};
