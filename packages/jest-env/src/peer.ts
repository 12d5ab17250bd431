import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * Loads a peer dependency, or says which package to install when it is missing: Jest 28 and later
 * ship their environments as separate packages, so `jest` alone does not bring them.
 */
export function requirePeer<T>(name: string, entry: string): T {
  try {
    return requireHere(name) as T;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'MODULE_NOT_FOUND' || !String((error as Error).message).includes(`'${name}'`)) throw error;
    throw new Error(
      `loose-ends: ${entry} needs ${name}, which is not installed. Install the version that matches your Jest: npm i -D ${name}@<your jest major>`,
    );
  }
}
