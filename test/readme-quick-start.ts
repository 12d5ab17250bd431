import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './pack.js';

export interface QuickStart {
  /** The packages the README's `npm i -D …` names. */
  readonly packages: readonly string[];
  /** The config file the README says to write, and what it says to write in it. */
  readonly configFile: string;
  readonly config: string;
}

/**
 * A runner's quick start as the top-level README gives it: the code block after the marker
 * `<!-- quick-start <runner>: <config file> -->`, and the last `npm i -D …` before that marker.
 * The quick-start test writes exactly this, so it fails when the README drifts from what works.
 */
export function readQuickStart(runner: string): QuickStart {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const marker = new RegExp(`<!-- quick-start ${runner}: (\\S+) -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\`\\n`);
  const found = marker.exec(readme);
  if (found === null) {
    throw new Error(
      `README.md has no block marked <!-- quick-start ${runner}: <file> --> before a code fence`,
    );
  }
  const installs = [...readme.slice(0, found.index).matchAll(/`npm i -D ([^`]+)`/g)];
  const install = installs.at(-1);
  if (install === undefined)
    throw new Error(`README.md has no \`npm i -D …\` before the ${runner} quick start`);
  return { packages: install[1]!.trim().split(/\s+/), configFile: found[1]!, config: `${found[2]}\n` };
}
