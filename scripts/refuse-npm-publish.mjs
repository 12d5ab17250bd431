#!/usr/bin/env node
// Each package's prepublishOnly. Our packages depend on each other as `workspace:^`; pnpm publish
// replaces that with the version range, npm publish would ship it as is, and npm cannot install
// such a package (EUNSUPPORTEDPROTOCOL). So a publish must go through pnpm: see docs/releasing.md.
const agent = process.env.npm_config_user_agent ?? '';
if (!agent.startsWith('pnpm/')) {
  console.error(
    'loose-ends: publish with pnpm, not npm: `npx -y pnpm@10 release` (see docs/releasing.md). ' +
      'npm would publish the `workspace:^` dependency ranges unchanged, and npm cannot install those.',
  );
  process.exit(1);
}
