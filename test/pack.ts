import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.join(import.meta.dirname, '..');

/** The published packages, by directory under `packages/`. */
export const PACKAGES = ['core', 'jest-env', 'vitest-plugin', 'mocha-hooks'] as const;
export type PackageDirectory = (typeof PACKAGES)[number];

/**
 * pnpm as the README runs it. Inside `pnpm test`, pnpm says where it is; reuse that copy rather
 * than fetching another.
 */
function pnpm(): [string, ...string[]] {
  const execPath = process.env.npm_execpath;
  return execPath?.includes('pnpm') ? [process.execPath, execPath] : ['npx', '-y', 'pnpm@10'];
}

/**
 * Packs every published package with `pnpm pack` (which turns `workspace:^` into a version range
 * npm can install) into `destination`, and returns each tarball's path by package directory.
 * Packs what `dist` holds now: `pnpm test` builds first.
 */
export function packAll(destination: string): Record<PackageDirectory, string> {
  mkdirSync(destination, { recursive: true });
  const tarballs = {} as Record<PackageDirectory, string>;
  const [command, ...args] = pnpm();
  for (const name of PACKAGES) {
    const cwd = path.join(ROOT, 'packages', name);
    if (!existsSync(path.join(cwd, 'dist'))) {
      throw new Error(`packages/${name}/dist is missing: run \`npx -y pnpm@10 build\` first.`);
    }
    const before = new Set(readdirSync(destination));
    const packed = spawnSync(command, [...args, 'pack', '--pack-destination', destination], {
      cwd,
      encoding: 'utf8',
    });
    if (packed.status !== 0) {
      throw new Error(`pnpm pack failed in packages/${name}:\n${packed.stdout}\n${packed.stderr}`);
    }
    const created = readdirSync(destination).filter((file) => !before.has(file) && file.endsWith('.tgz'));
    if (created.length !== 1) throw new Error(`pnpm pack in packages/${name} wrote ${created.join(', ')}`);
    tarballs[name] = path.join(destination, created[0]!);
  }
  return tarballs;
}

/** The files a tarball holds, as `package/…` paths. */
export function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
}
