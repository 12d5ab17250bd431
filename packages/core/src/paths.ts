import path from 'node:path';

/**
 * How a file is named in a report or a file's title: relative to the working directory when inside
 * it, so the name is short, and absolute otherwise, so it is never ambiguous.
 */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  return displayPathWith(path, file, cwd);
}

/** The same rule for a given path flavour, so Windows' drive rules can be tested on any system. */
export function displayPathWith(paths: path.PlatformPath, file: string, cwd: string): string {
  const relative = paths.relative(cwd, file);
  const outside =
    relative === '' ||
    relative === '..' ||
    // `..foo` is a file inside cwd; only `..` followed by a separator climbs out.
    relative.startsWith(`..${paths.sep}`) ||
    // Across Windows drives there is no relative path: `relative` comes back absolute.
    paths.isAbsolute(relative);
  return outside ? file : relative;
}
