import { type FSWatcher, readFileSync, watch } from 'node:fs';

/** Reads a JSON config file and calls `onChange` with the new contents when it changes. */
export function watchConfig(file: string, onChange: (config: unknown) => void): FSWatcher {
  const reload = () => {
    try {
      onChange(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      // Half-written file: the next change event brings the whole one.
    }
  };
  return watch(file, reload); // LEAK: config-watcher
}
