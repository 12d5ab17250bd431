/** Where Jest users put loose-ends options: `testEnvironmentOptions.looseEnds` of a project's config. */
export const OPTIONS_KEY = 'looseEnds';

/** How an error names that place, so the user knows which config file to open. */
export function optionsSource(rootDir: string | undefined): string {
  return `testEnvironmentOptions.${OPTIONS_KEY} (Jest config of ${rootDir ?? process.cwd()})`;
}
