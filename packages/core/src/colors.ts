import { requireLazily } from './require-lazily.js';

type Picocolors = typeof import('picocolors');
type Colors = ReturnType<Picocolors['createColors']>;

// Loaded on the first report: a clean run never colors anything.
let picocolors: Picocolors | undefined;
function loadPicocolors(): Picocolors {
  picocolors ??= requireLazily('picocolors') as Picocolors;
  return picocolors;
}

/** Whether a report is colored: as asked, else as picocolors reads the terminal and environment. */
export function useColors(asked: boolean | undefined): boolean {
  return asked ?? loadPicocolors().isColorSupported;
}

/** Color functions for one report, on or off (`asked` as in `useColors`). */
export function colorsFor(asked: boolean | undefined): Colors {
  return loadPicocolors().createColors(useColors(asked));
}
