import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { codeFrameColumns } from '@babel/code-frame';
import type StackUtils from 'stack-utils';
import { displayPath } from './paths.js';
import { hiddenFrameDirectories } from './registry.js';
import { requireLazily } from './require-lazily.js';

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface CleanStack {
  /** `    at …` lines, Node internals and loose-ends' own frames removed. */
  readonly frames: readonly string[];
  /** The first frame outside node_modules: the line a developer should look at. */
  readonly location: SourceLocation | undefined;
}

// Loaded on first use: only a report needs them.
let stackUtils: StackUtils | undefined;
function stackParser(): StackUtils {
  stackUtils ??= new (requireLazily('stack-utils') as typeof StackUtils)();
  return stackUtils;
}
let codeFrameColumnsFn: typeof codeFrameColumns | undefined;
function codeFrameRenderer(): typeof codeFrameColumns {
  codeFrameColumnsFn ??= (requireLazily('@babel/code-frame') as { codeFrameColumns: typeof codeFrameColumns })
    .codeFrameColumns;
  return codeFrameColumnsFn;
}

const hiddenDirectories = hiddenFrameDirectories();

/**
 * Frames from these directories are dropped from reports. Core hides itself; an adapter hides
 * its own directory so the code frame points at the user's line, not at the glue.
 */
export function hideFramesFrom(directory: string): void {
  hiddenDirectories.add(toPath(directory));
}

/**
 * Hides a loose-ends package's frames, given one of its modules (`import.meta.url`): its directory
 * and, for a build in `dist`, the `src` beside it, since Jest and Vitest apply our source maps.
 * Located from the module, not read off a stack: formatting one at load time would run the runner's
 * source-map lookup in every worker.
 */
export function hidePackageFrames(moduleUrl: string): void {
  const directory = path.dirname(toPath(moduleUrl));
  hideFramesFrom(directory);
  if (path.basename(directory) === 'dist') hideFramesFrom(path.join(path.dirname(directory), 'src'));
}

hidePackageFrames(import.meta.url);

function toPath(fileOrUrl: string): string {
  return fileOrUrl.startsWith('file://') ? fileURLToPath(fileOrUrl) : fileOrUrl;
}

/**
 * Node's own frames all read `node:…` on the Node versions we support (stack-utils' internals list
 * matches the older `internal/….js` form, with a regex per built-in module: slow, and no longer
 * needed).
 */
function isHidden(line: string): boolean {
  return line.includes('(node:') || line.includes('at node:') || inHiddenDirectory(line);
}

/** Whether a frame's line or file name lies in a hidden directory (also in the `file://` form). */
export function inHiddenDirectory(text: string): boolean {
  for (const directory of hiddenDirectories) {
    if (text.includes(directory)) return true;
  }
  return false;
}

/**
 * A creation stack as captured: V8 formats it on the first read of `stack`, with the
 * `Error.prepareStackTrace` then in force, so a runner's source maps apply to what we report. Read
 * it with `stackText` or `creatingFile`, never directly: `creatingFile` leaves call sites in it.
 */
export interface StackHolder {
  stack?: string | readonly NodeJS.CallSite[];
}

/** Captures the stack below `boundary` without formatting it. */
export function captureStack(limit: number, boundary: (...args: never[]) => unknown): StackHolder {
  const holder: StackHolder = {};
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  Error.captureStackTrace(holder, boundary);
  Error.stackTraceLimit = previousLimit;
  return holder;
}

/** Holders whose `stack` has been read: it holds text, or call sites `stackText` has yet to format. */
const readHolders = new WeakSet<StackHolder>();

const asCallSites = (_holder: unknown, callSites: readonly NodeJS.CallSite[]) => callSites;

/**
 * The call sites of a stack, read without running the formatter: a runner's formatter looks up
 * source maps, and a worker's first lookup loads and parses them, for a resource that may turn out
 * to be the user's anyway. `undefined` when the stack was already formatted, or when no formatter is in
 * force to format the call sites with later.
 */
function readCallSites(holder: StackHolder): readonly NodeJS.CallSite[] | undefined {
  if (!readHolders.has(holder)) {
    const format = Error.prepareStackTrace;
    if (typeof format !== 'function') return undefined;
    Error.prepareStackTrace = asCallSites;
    try {
      void holder.stack;
    } finally {
      Error.prepareStackTrace = format;
    }
    readHolders.add(holder);
  }
  return Array.isArray(holder.stack) ? holder.stack : undefined;
}

/** The formatted stack, as V8 would have formatted it on first read. */
export function stackText(holder: StackHolder | undefined): string | undefined {
  if (holder === undefined) return undefined;
  const value = holder.stack;
  readHolders.add(holder);
  if (!Array.isArray(value)) return value as string | undefined;
  const format = Error.prepareStackTrace;
  const text =
    typeof format === 'function'
      ? String(format(holder as Error, value as NodeJS.CallSite[]))
      : value.map((site) => `    at ${site}`).join('\n');
  holder.stack = text;
  return text;
}

const NODE_MODULES = /[\\/]node_modules[\\/]/;

/**
 * Whether a resource was created on the runner's behalf. Walking the creation stack from the
 * innermost frame, past Node's frames, loose-ends' own, frames with no file (`new Promise`) and
 * libraries' (node_modules), the first file that is the runner's (`runnerFiles`) or the user's
 * decides: a timer a DOM environment starts for the runner (jsdom's `setTimeout` called by Vitest)
 * is the runner's; a library's timer started by a test is the test's. `undefined` when no frame
 * decides (a promise created by a continuation has only Node's frames). Reads call sites where it
 * can, so the runner's source-map lookup does not run for this.
 */
export function isCreatedBy(holder: StackHolder, runnerFiles: RegExp): boolean | undefined {
  const callSites = readCallSites(holder);
  const files =
    callSites?.map((site) => site.getFileName() ?? undefined) ??
    cleanStack(stackText(holder), Number.POSITIVE_INFINITY).frames.map(frameFile);
  for (const file of files) {
    if (file === undefined || isHiddenFile(file)) continue;
    if (runnerFiles.test(file)) return true;
    if (!NODE_MODULES.test(file)) return false;
  }
  return undefined;
}

function frameFile(frame: string): string | undefined {
  return stackParser().parseLine(frame)?.file ?? undefined;
}

/** `isHidden` for a call site's file name. */
function isHiddenFile(file: string): boolean {
  return file.startsWith('node:') || inHiddenDirectory(file);
}

/** Cleans a captured creation stack down to `depth` frames. */
export function cleanStack(rawStack: string | undefined, depth: number): CleanStack {
  if (rawStack === undefined) return { frames: [], location: undefined };
  const frames = rawStack
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && !isHidden(line))
    .slice(0, depth)
    .map((line) => `    ${line.trim()}`);
  return { frames, location: firstUserLocation(frames) };
}

function firstUserLocation(frames: readonly string[]): SourceLocation | undefined {
  let fallback: SourceLocation | undefined;
  for (const frame of frames) {
    const parsed = stackParser().parseLine(frame);
    if (parsed?.file === undefined || parsed.line === undefined) continue;
    const location = { file: toPath(parsed.file), line: parsed.line, column: parsed.column ?? 1 };
    if (!location.file.includes(`${path.sep}node_modules${path.sep}`)) return location;
    fallback ??= location;
  }
  return fallback;
}

/** A frame's file, in `    at fn (file:line:col)` or `    at file:line:col`. */
const FRAME_FILE =
  /^(\s*at (?:.*? \()?)((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+|file:\/\/\/[A-Za-z]:\/[^():]+)(:\d+:\d+\)?)$/gm;

/** Frames with files named as reports name them: `file://` URLs as paths, relative inside the working directory. */
export function displayFrames(frames: string): string {
  return frames.replace(FRAME_FILE, (_line, before: string, file: string, after: string) => {
    return `${before}${displayPath(toPath(file))}${after}`;
  });
}

/** `test/server.test.ts:12:5`, relative to the working directory when inside it. */
export function formatLocation(location: SourceLocation): string {
  return `${displayPath(location.file)}:${location.line}:${location.column}`;
}

const sourceCache = new Map<string, string | null>();

/** A few lines of source around the creation line, for runners that draw no code frame of their own. */
export function codeFrame(location: SourceLocation, highlight: boolean): string | undefined {
  let source = sourceCache.get(location.file);
  if (source === undefined) {
    try {
      source = readFileSync(location.file, 'utf8');
    } catch {
      // A file gone or generated in memory: the report goes without a code frame.
      source = null;
    }
    sourceCache.set(location.file, source);
  }
  if (source === null) return undefined;
  return codeFrameRenderer()(
    source,
    { start: { line: location.line, column: location.column } },
    { highlightCode: highlight, linesAbove: 2, linesBelow: 1 },
  );
}
