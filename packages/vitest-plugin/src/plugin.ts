import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LooseEndsOptions } from '@loose-ends/core';
import { resolveOptions } from '@loose-ends/core';
import type MagicString from 'magic-string';
import type { SourceMap } from 'magic-string';
import type { Plugin } from 'vitest/config';
import { LooseEndsReporter } from './reporter.js';
import {
  ALLOW_LEAKS_TAG,
  detectionOffMessage,
  encodeOptions,
  FILE_SCOPE_KEY,
  PLUGIN_KEY,
  PROVIDE_KEY,
} from './transport.js';
import type { ProjectLike, VitestLike } from './vitest-internals.js';
import { hasAroundEach } from './vitest-internals.js';

const requireHere = createRequire(import.meta.url);

/** The setup module next to this file in `dist/`; Vitest loads it in every worker. */
const SETUP_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'setup.js');

const OPTIONS_SOURCE = 'looseEnds() options in your Vitest config';

/** This package's and core's built files, whatever path they are installed or linked under. */
const OWN_DIST_DIRECTORIES = [
  path.dirname(SETUP_FILE),
  path.dirname(requireHere.resolve('@loose-ends/core')),
].map((directory) => new RegExp(`^${escapeRegExp(directory + path.sep)}`));

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `plugins: [looseEnds(options)]` in `vitest.config.*`: adds the setup module that wraps every test
 * (`aroundEach`) and checks what it left running, declares the `allow-leaks` tag, and adds the
 * reporter that prints one summary line at the end of the run. Options are validated here, so a
 * typo fails the run at once with the option's name and the accepted values.
 */
export function looseEnds(options: LooseEndsOptions = {}): Plugin {
  const resolved = resolveOptions(options, OPTIONS_SOURCE);
  const projects = new Set<ProjectLike>();
  const encoded = encodeOptions(options);
  return {
    name: 'loose-ends',
    config(config) {
      config.test ??= {};
      const test = config.test;
      const userSetup = test.setupFiles === undefined ? [] : [test.setupFiles].flat();
      // First, so our aroundEach is the outermost one: the user's own around hooks belong to the test.
      if (!userSetup.includes(SETUP_FILE)) test.setupFiles = [SETUP_FILE, ...userSetup];
      test.provide = { ...test.provide, [PROVIDE_KEY]: encoded, [PLUGIN_KEY]: true };
      // Plain Node code, loaded natively as from node_modules even when installed by link
      // (workspaces, `npm link`): otherwise Vite transforms and re-evaluates it for every test file.
      test.server ??= {};
      test.server.deps ??= {};
      test.server.deps.external = [...(test.server.deps.external ?? []), ...OWN_DIST_DIRECTORIES];
      const tags = test.tags ?? [];
      if (!tags.some((tag) => tag.name === ALLOW_LEAKS_TAG)) {
        test.tags = [
          ...tags,
          {
            name: ALLOW_LEAKS_TAG,
            description: 'loose-ends does not fail this test for async work it leaves running',
            meta: { allowLeaks: true },
          },
        ];
      }
    },
    // Vitest ≥ 3.1 calls this once per project, before it builds the reporters.
    configureVitest({ vitest, project }: { vitest: VitestLike; project: ProjectLike }) {
      if (!hasAroundEach(vitest.version)) {
        warnOnce(vitest, `Vitest ${vitest.version} has no aroundEach`);
        return;
      }
      const reporters = vitest.config.reporters;
      const ours = reporters.find((reporter) => reporter instanceof LooseEndsReporter);
      if (ours === undefined) reporters.push(new LooseEndsReporter({ reportFile: resolved.reportFile }));
      // Added by the user (or by another project's copy of this plugin): the first report file asked for wins.
      else ours.reportFile ??= resolved.reportFile;
      if (resolved.mode !== 'off') projects.add(project);
    },
    transform: {
      order: 'post',
      handler(code: string, id: string) {
        if (!isTestModule(projects, id, code)) return undefined;
        return withFileScopeEntry(code, id);
      },
    },
  } as Plugin;
}

const warned = new WeakSet<object>();

function warnOnce(vitest: VitestLike, reason: string): void {
  if (warned.has(vitest)) return;
  warned.add(vitest);
  vitest.logger.warn(detectionOffMessage(reason));
}

function isTestModule(projects: ReadonlySet<ProjectLike>, id: string, code: string): boolean {
  if (projects.size === 0 || id.includes('?') || id.startsWith('\0')) return false;
  // In-source tests (`includeSource`) are application modules other files import: leave them alone.
  if (code.includes('import.meta.vitest')) return false;
  for (const project of projects) {
    if (project.matchesTestGlob(id, () => code)) return true;
  }
  return false;
}

/**
 * Prepends, on the file's first line (so every other line keeps its number), the call that makes
 * the rest of the module body the file's: `await null` first, so the call runs in the module's own
 * continuation and its context ends with the module body instead of leaking into the runner that
 * called it (the body runs in an async function; imports, hoisted above it, already await).
 */
export function withFileScopeEntry(code: string, id: string): { code: string; map: SourceMap | null } {
  const call = `await null;globalThis[Symbol.for(${JSON.stringify(FILE_SCOPE_KEY)})]?.(${JSON.stringify(id)});`;
  // After a hashbang, which must stay first: at the start of line 2, still without a new line.
  const start = code.startsWith('#!') ? code.indexOf('\n') + 1 : 0;
  // No source map when only that line's columns move and it holds nothing that runs on its own: a
  // map is made here and combined with the others for every test file, which costs Vitest's main
  // process more than the rest of the transform pipeline. `null` keeps the chain as is.
  if (holdsNothingRunnable(firstLineFrom(code, start))) {
    return { code: code.slice(0, start) + call + code.slice(start), map: null };
  }
  const s = newMagicString(code);
  if (start > 0) s.appendLeft(start, call);
  else s.prepend(call);
  return { code: s.toString(), map: s.generateMap({ hires: 'boundary', source: id, includeContent: true }) };
}

let MagicStringClass: typeof MagicString | undefined;

/**
 * Loaded on first use: most test files start with an import and never need a map, so most runs
 * never load magic-string.
 */
function newMagicString(code: string): MagicString {
  MagicStringClass ??= requireHere('magic-string') as typeof MagicString;
  return new MagicStringClass(code);
}

function firstLineFrom(code: string, start: number): string {
  const end = code.indexOf('\n', start);
  return code.slice(start, end === -1 ? undefined : end);
}

/** Blank, a line comment, a directive, or one whole import: no column of it shows in a stack trace. */
const NOTHING_RUNNABLE =
  /^\s*(?:\/\/.*|(['"])use strict\1;?|import\s+(?:[^'"`;]*?\s*from\s*)?(['"])[^'"\n]*\2\s*;?)?\s*$/;

function holdsNothingRunnable(line: string): boolean {
  return NOTHING_RUNNABLE.test(line);
}
