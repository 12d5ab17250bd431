import { colorsFor, useColors } from './colors.js';
import type { ContainPolicy } from './contain.js';
import type { LeakContext } from './context.js';
import type { ResourceKind } from './kinds.js';
import { KINDS } from './kinds.js';
import type { LeakRecord } from './record.js';
import { codeFrame, displayFrames } from './stack.js';

function plural(count: number, singular: string, pluralForm: string): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `2 intervals, 1 server`: most frequent first, ties in the order given. */
export function countByKind(kinds: Iterable<ResourceKind>): string {
  const counts = new Map<ResourceKind, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => plural(count, ...KINDS[kind].label))
    .join(', ');
}

export function subjectOf(ctx: Pick<LeakContext, 'kind' | 'title' | 'file'>): string {
  if (ctx.kind === 'file') return `The module scope and before-all hooks of ${ctx.title}`;
  if (ctx.kind === 'task') return `Task "${ctx.title}"`;
  return `Test "${ctx.title}"`;
}

export function headline(subject: string, leaks: readonly LeakRecord[]): string {
  return `${subject} left ${plural(leaks.length, 'async task', 'async tasks')} running: ${countByKind(leaks.map((leak) => leak.kind))}.`;
}

interface TreeNode {
  readonly leak: LeakRecord;
  readonly children: TreeNode[];
}

/** Each leak under the nearest reported leak whose callback created it. */
export function causalTree(leaks: readonly LeakRecord[]): TreeNode[] {
  const nodes = new Map(leaks.map((leak) => [leak.asyncId, { leak, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parentId = node.leak.ancestry.find((id) => nodes.has(id));
    if (parentId === undefined) roots.push(node);
    else nodes.get(parentId)!.children.push(node);
  }
  return roots;
}

export interface RenderOptions {
  /** Include a code frame of each creation line (for runners that draw none). */
  codeFrames?: boolean;
  /** Colour the output; defaults to what the terminal supports. */
  colors?: boolean;
  /** Include the full cleaned creation stack under each leak. */
  stacks?: boolean;
  /** What was done to the leaks once reported (option `contain`), said under the list. */
  contained?: ContainPolicy;
  /** Leaks whose closing threw, as sentences. */
  containFailures?: readonly string[];
  /** One more line under the list, such as why the check stopped waiting. */
  note?: string;
}

const CONTAINED: Record<ContainPolicy, string | undefined> = {
  close:
    'loose-ends has cleared, closed or killed these so they do not run into later tests (option contain).',
  unref: "loose-ends has unref'd these so they do not keep the process alive (option contain).",
  none: undefined,
};

function containNote(render: RenderOptions): string {
  const said = render.contained === undefined ? undefined : CONTAINED[render.contained];
  const failures = render.containFailures ?? [];
  const lines = said === undefined ? [] : [said];
  if (render.note !== undefined) lines.push(render.note);
  if (failures.length > 0) lines.push(`Could not close: ${failures.join('; ')}.`);
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? prefix + line : line))
    .join('\n');
}

/** The leak list as plain text: a causal tree, each leak with what is going on, the fix and where it began. */
export function renderLeaks(leaks: readonly LeakRecord[], options: RenderOptions = {}): string {
  const colors = colorsFor(options.colors);
  const lines: string[] = [];
  const renderGroup = (group: readonly TreeNode[], depth: number, shownAbove: string | undefined): void => {
    const { leak } = group[0]!;
    // A mark, not a number: Mocha numbers its failures `1)`, and a list numbered `1.` under it reads as another count.
    const label = depth === 0 ? '-' : '↳';
    const pad = '  '.repeat(depth + 1);
    const origin = leak.phase === 'test' ? '' : ` in the ${leak.phase}`;
    const count = group.length === 1 ? '' : `${group.length} × `;
    lines.push(`${pad}${colors.bold(label)} ${colors.bold(`${count}${leak.description}`)} — ${leak.still}.`);
    lines.push(`${pad}  ${colors.dim('Fix:')} ${leak.hint}.`);
    if (leak.unreadable !== undefined) {
      lines.push(
        `${pad}  ${colors.dim('Note:')} its state could not be read (${leak.unreadable}), so it counts as still running.`,
      );
    }
    lines.push(
      `${pad}  ${colors.dim('Created')}${origin} ${leak.where === undefined ? '(no user frame in the creation stack)' : `at ${colors.cyan(leak.where)}`}`,
    );
    // A connection a server accepted borrows the server's line: its frame is already drawn above.
    if (options.codeFrames && leak.location !== undefined && leak.where !== shownAbove) {
      const frame = codeFrame(leak.location, useColors(options.colors));
      if (frame !== undefined) lines.push(indent(frame, `${pad}  `));
    }
    if (options.stacks && leak.stack.length > 0)
      lines.push(indent(leak.stack.replace(/^ +/gm, ''), `${pad}    `));
    renderLevel(
      group.flatMap((node) => node.children),
      depth + 1,
      leak.where,
    );
  };
  const renderLevel = (nodes: readonly TreeNode[], depth: number, shownAbove: string | undefined): void => {
    const groups = groupBySite(nodes);
    for (const group of groups.slice(0, MAX_GROUPS)) renderGroup(group, depth, shownAbove);
    const hidden = groups.slice(MAX_GROUPS).reduce((sum, group) => sum + group.length, 0);
    if (hidden > 0) {
      lines.push(`${'  '.repeat(depth + 1)}… and ${hidden} more (every leak is in the error's \`leaks\`).`);
    }
  };
  renderLevel(causalTree(leaks), 0, undefined);
  return lines.join('\n');
}

/** Groups listed per level before "and N more": a report stays readable whatever leaked. */
const MAX_GROUPS = 20;

/**
 * Leaks of one kind created at one place with the same description are one line with a count:
 * a loop that starts 10 000 timers is one finding. Descriptions differ in numbers only where the
 * instances really differ (ports, pids), so those stay apart.
 */
function groupBySite(nodes: readonly TreeNode[]): TreeNode[][] {
  const groups = new Map<string, TreeNode[]>();
  for (const node of nodes) {
    const { leak } = node;
    const key = `${leak.kind}\0${leak.where ?? leak.asyncId}\0${leak.phase}\0${leak.description}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [node]);
    else group.push(node);
  }
  return [...groups.values()];
}

/**
 * The failure attached to a leaking test. Its `stack` is the first leak's cleaned creation stack, so
 * Jest and Vitest draw their own (source-mapped) code frame at the line that created it.
 */
export class AsyncLeakError extends Error {
  override name = 'AsyncLeakError';
  readonly leaks: readonly LeakRecord[];
  readonly test: string;

  constructor(subject: string, test: string, leaks: readonly LeakRecord[], render: RenderOptions = {}) {
    super(`${headline(subject, leaks)}\n\n${renderLeaks(leaks, render)}\n${containNote(render)}`);
    this.leaks = leaks;
    this.test = test;
    const first = leaks.find((leak) => leak.location !== undefined) ?? leaks[0];
    const frames = first?.stack ?? '';
    // Jest and Vitest read the frames to draw their code frame, and need them as V8 wrote them;
    // Mocha prints them as they are, so they are shown as the report names files.
    this.stack = `${this.name}: ${this.message}\n${render.codeFrames ? displayFrames(frames) : frames}`;
  }

  toJSON(): { name: string; message: string; test: string; leaks: readonly LeakRecord[] } {
    return { name: this.name, message: this.message, test: this.test, leaks: this.leaks };
  }
}
