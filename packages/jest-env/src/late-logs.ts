import { lateLogNote } from '@loose-ends/core';

type Format = (type: string, message: string) => string;

interface JestTestConsole {
  /** CustomConsole (`--verbose`): formats each line as it prints it. */
  _formatBuffer?: Format;
  /** BufferedConsole (the default): keeps each line, printed when the file is done. */
  _buffer?: { message?: unknown }[];
}

const withNote = (message: string, note: string | undefined): string =>
  note === undefined ? message : `${message}\n${note}`;

/**
 * A line logged by work an ended test left running gets the note naming that test. Jest shows each
 * line with the frame of its call, found by counting frames up from where it formats or stores the
 * line, so nothing of ours may sit between the user's call and that point: a wrapper around the
 * console's methods, or around its formatter, would be shown in place of the user's line.
 * - The default console stores lines first and prints them when the file is done: the note joins
 *   the stored line.
 * - The `--verbose` console formats each line as it prints it: reading its formatter gives Jest's
 *   own, except for a late line, which gets one that adds the note (its frame then shows in place
 *   of the user's line; the note says where the work began).
 * A console of another shape is left as it is.
 */
export function tagLateLogsOf(testConsole: unknown): void {
  const jestConsole = testConsole as JestTestConsole;
  let format = jestConsole._formatBuffer;
  if (typeof format === 'function') {
    Object.defineProperty(jestConsole, '_formatBuffer', {
      configurable: true,
      get(): Format | undefined {
        const note = lateLogNote();
        const own = format;
        if (note === undefined || own === undefined) return own;
        return (type, message) => own(type, withNote(message, note));
      },
      set(value: Format) {
        format = value;
      },
    });
    return;
  }
  const buffer = jestConsole._buffer;
  if (!Array.isArray(buffer)) return;
  const push = buffer.push;
  buffer.push = function pushWithNote(this: typeof buffer, ...lines) {
    const note = lateLogNote();
    for (const line of lines) {
      if (typeof line?.message === 'string') line.message = withNote(line.message, note);
    }
    return push.apply(this, lines);
  };
}
