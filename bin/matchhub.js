#!/usr/bin/env -S node --max-semi-space-size=64
// Runs the compiled CLI; `npm run build` (or `npm start`) compiles it first. A 64 MiB young
// generation: GraphQL responses make many short-lived objects, and V8's default semi-space
// (16 MiB) collects them too often (BENCHMARKS.md, "Young generation").
require('../dist/src/main.js');
