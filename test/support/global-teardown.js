const fs = require('node:fs');

module.exports = async function globalTeardown() {
  if (process.env.MATCHHUB_TEST_EMBEDDING_CACHE_OWNED === '1') {
    fs.rmSync(process.env.MATCHHUB_TEST_EMBEDDING_CACHE, { recursive: true, force: true });
  }
};
