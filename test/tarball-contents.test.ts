import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PACKAGES, type PackageDirectory, packAll, tarballFiles } from './pack.js';

describe('the packed packages', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'loose-ends-tarballs-'));
  let tarballs: Record<PackageDirectory, string>;
  before(() => {
    tarballs = packAll(path.join(work, 'tarballs'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** The tarball unpacked into its own directory; returns the package root inside it. */
  function unpack(name: PackageDirectory): string {
    const into = path.join(work, 'unpacked', name);
    mkdirSync(into, { recursive: true });
    execFileSync('tar', ['-xzf', tarballs[name], '-C', into]);
    return path.join(into, 'package');
  }

  for (const name of PACKAGES) {
    test(`${name}: ships the MIT LICENSE, the README and the sources its maps name`, () => {
      const files = tarballFiles(tarballs[name]);
      assert.ok(files.includes('package/LICENSE'), files.join('\n'));
      assert.ok(files.includes('package/README.md'), files.join('\n'));
      assert.match(readFileSync(path.join(unpack(name), 'LICENSE'), 'utf8'), /^MIT License/);

      const root = path.join(work, 'unpacked', name, 'package');
      const maps = files.filter((file) => file.endsWith('.map'));
      assert.ok(maps.length > 0, `no source maps in ${name}`);
      for (const map of maps) {
        const file = path.join(root, map.slice('package/'.length));
        const { sources } = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[] };
        for (const source of sources) {
          const resolved = path.resolve(path.dirname(file), source);
          assert.ok(resolved.startsWith(`${root}${path.sep}`), `${map} names ${source}, outside the package`);
          assert.ok(existsSync(resolved), `${map} names ${source}, which the tarball lacks`);
        }
      }
    });

    test(`${name}: depends on version ranges npm can install, not workspace: specifiers`, () => {
      const manifest = JSON.parse(readFileSync(path.join(unpack(name), 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
        assert.doesNotMatch(range, /^workspace:/, `${name} depends on ${dependency}@${range}`);
      }
    });
  }
});
