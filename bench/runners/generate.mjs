// Generates the benchmark suites: one small project per runner and workload, under
// bench/results/suites/ (gitignored, rewritten on every run). Every test finishes all the async
// work it starts, so every variant must pass: a failure means the variant broke the suite.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `realistic`: per test an awaited 1 ms timer, an awaited chain of async calls, an fs.promises
 * read and a local HTTP request to a server the file starts in beforeAll and closes in afterAll.
 * `promise`: per test a tight `await Promise.resolve(i)` loop, the worst case for a hook that sees
 * every promise.
 */
export const WORKLOADS = ['realistic', 'promise'];
/** Not measured: one file whose first test leaks a timer, to prove the loose-ends variant is live. */
export const CANARY = 'canary';

const SUPPORT = `'use strict';
// Shared by every generated test file: a local HTTP server and the async steps a test awaits.
const http = require('node:http');
const { readFile } = require('node:fs/promises');
const { setTimeout: sleep } = require('node:timers/promises');
const path = require('node:path');

const dataFile = path.join(__dirname, 'data.json');

function startServer() {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('ok ' + req.url);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function stopServer(server) {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

function get(server, urlPath) {
  const { port } = server.address();
  return new Promise((resolve, reject) => {
    // agent: false sends "Connection: close", so no keep-alive socket outlives the request.
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function step(value) {
  await null;
  return value + 1;
}

async function chain(value, length) {
  for (let i = 0; i < length; i++) value = await step(value);
  return value;
}

async function readData() {
  return JSON.parse(await readFile(dataFile, 'utf8'));
}

async function promiseLoop(iterations) {
  let sum = 0;
  for (let i = 0; i < iterations; i++) sum += await Promise.resolve(i);
  return sum;
}

module.exports = { startServer, stopServer, get, sleep, chain, readData, promiseLoop };
`;

const FLOOR_HOOK = `// The floor: an empty async_hooks init hook, once per process/thread (what any
// async_hooks-based detector pays at least).
const key = Symbol.for('loose-ends.bench.floor');
if (!globalThis[key]) globalThis[key] = createHook({ init() {} }).enable();
`;

/** Test body per workload; `ok(cond)` is the runner's assertion. */
function body(workload, file, index, promiseIterations) {
  if (workload === 'canary') {
    // Test 0 leaves a timer pending (it ends by itself, so no runner hangs on it); the rest are clean.
    return index === 0 ? '    setTimeout(() => {}, 1500);\n    ok(true);' : '    ok(true);';
  }
  if (workload === 'promise') {
    const expected = (promiseIterations * (promiseIterations - 1)) / 2;
    return `    ok((await promiseLoop(${promiseIterations})) === ${expected});`;
  }
  return [
    '    await sleep(1);',
    `    ok((await chain(${index}, 10)) === ${index + 10});`,
    `    ok((await readData()).items.length === 50);`,
    `    ok((await get(server, '/f${file}/t${index}')) === 'ok /f${file}/t${index}');`,
  ].join('\n');
}

function testFile(style, workload, file, tests, promiseIterations) {
  const lines = [];
  if (style === 'vitest') {
    // Globals, so the same file works under the vitest 4 and vitest 5 installs.
    lines.push(
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
      "const { startServer, stopServer, get, sleep, chain, readData, promiseLoop } = require('../support.cjs');",
      'const ok = (condition) => expect(condition).toBe(true);',
    );
  } else if (style === 'jest') {
    lines.push(
      "const { startServer, stopServer, get, sleep, chain, readData, promiseLoop } = require('../support.cjs');",
      'const ok = (condition) => expect(condition).toBe(true);',
    );
  } else {
    lines.push(
      "const assert = require('node:assert');",
      "const { startServer, stopServer, get, sleep, chain, readData, promiseLoop } = require('../support.cjs');",
      'const ok = (condition) => assert.ok(condition);',
    );
  }
  const [before, after, it] =
    style === 'mocha' ? ['before', 'after', 'it'] : ['beforeAll', 'afterAll', 'test'];
  lines.push(`describe('file ${file}', () => {`, '  let server;');
  lines.push(`  ${before}(async () => {`, '    server = await startServer();', '  });');
  lines.push(`  ${after}(() => stopServer(server));`);
  for (let index = 0; index < tests; index++) {
    lines.push(
      `  ${it}('test ${index}', async () => {`,
      body(workload, file, index, promiseIterations),
      '  });',
    );
  }
  lines.push('});', '');
  return lines.join('\n');
}

/** Writes one project for `runner` and `workload`; returns its directory. */
export function generate({ root, runner, workload, files, testsPerFile, promiseIterations }) {
  const dir = join(root, `${runner}-${workload}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, 'support.cjs'), SUPPORT);
  const items = Array.from({ length: 50 }, (_, id) => ({ id, name: `item ${id}` }));
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ items }));
  const extension = { jest: '.test.cjs', vitest: '.test.mjs', mocha: '.spec.cjs' }[runner];
  for (let file = 1; file <= files; file++) {
    const name = `f${String(file).padStart(2, '0')}${extension}`;
    writeFileSync(join(dir, 'test', name), testFile(runner, workload, file, testsPerFile, promiseIterations));
  }

  writeRunnerConfigs(dir, runner);
  if (runner === 'jest') {
    writeFileSync(join(dir, 'jest.floor.config.cjs'), jestConfig('<rootDir>/floor-env.cjs'));
    // The environment module is evaluated once per worker (docs/internals.md), like loose-ends' own hook.
    writeFileSync(
      join(dir, 'floor-env.cjs'),
      `const { createHook } = require('node:async_hooks');\n${FLOOR_HOOK}module.exports = require('jest-environment-node');\n`,
    );
  } else if (runner === 'vitest') {
    writeFileSync(
      join(dir, 'vitest.floor.config.mjs'),
      `export default { test: { ...${VITEST_TEST}, setupFiles: ['./floor-setup.mjs'] } };\n`,
    );
    writeFileSync(
      join(dir, 'floor-setup.mjs'),
      `import { createHook } from 'node:async_hooks';\n\n${FLOOR_HOOK}`,
    );
  } else {
    writeFileSync(
      join(dir, 'floor.cjs'),
      `const { createHook } = require('node:async_hooks');\n${FLOOR_HOOK}`,
    );
  }
  return dir;
}

const VITEST_TEST = "{ include: ['test/*.test.mjs'], globals: true }";

function jestConfig(environment) {
  return `module.exports = ${JSON.stringify(
    {
      testEnvironment: environment,
      transform: {},
      testMatch: ['<rootDir>/test/*.test.cjs'],
      cacheDirectory: '<rootDir>/.jest-cache',
    },
    null,
    2,
  )};\n`;
}

/**
 * The baseline and loose-ends configs of a generated Jest or Vitest suite (Mocha takes its options on
 * the command line): loose-ends configured exactly as the adapter READMEs say.
 */
export function writeRunnerConfigs(dir, runner) {
  if (runner === 'jest') {
    writeFileSync(join(dir, 'jest.baseline.config.cjs'), jestConfig('node'));
    writeFileSync(join(dir, 'jest.loose-ends.config.cjs'), jestConfig('@loose-ends/jest-env'));
  } else if (runner === 'vitest') {
    writeFileSync(join(dir, 'vitest.baseline.config.mjs'), `export default { test: ${VITEST_TEST} };\n`);
    writeFileSync(
      join(dir, 'vitest.loose-ends.config.mjs'),
      `import { looseEnds } from '@loose-ends/vitest-plugin';\n\nexport default { plugins: [looseEnds()], test: ${VITEST_TEST} };\n`,
    );
  }
}

export function cleanSuites(root) {
  rmSync(root, { recursive: true, force: true });
}
