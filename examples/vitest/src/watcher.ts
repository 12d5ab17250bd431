import { type FSWatcher, watch } from 'node:fs';

/** Calls `onChange` whenever the config file changes. Returns the watcher; `close()` it when done. */
export function watchConfig(file: string, onChange: () => void): FSWatcher {
  return watch(file, () => onChange());
}
