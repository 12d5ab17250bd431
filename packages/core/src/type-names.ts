/**
 * Checks a kind or async_hooks type name a user wrote (`ignoreTypes`, `allowLeaks`): the kinds of
 * the table and the types Node creates are known; a near miss of one is a typo and gets a
 * suggestion; any other name may be the type of an `AsyncResource` of the user's own.
 */
import {
  IGNORED_NODE_TYPES,
  isResourceKind,
  KIND_OF_TYPE,
  PARENT_ONLY_TYPES,
  RESOURCE_KINDS,
} from './kinds.js';
import { closestMatch, didYouMean } from './suggest.js';

/** For messages: what a kind or type name may be. */
export const ACCEPTED_TYPE_NAMES = `resource kinds (${RESOURCE_KINDS.join(', ')}) or async_hooks type names such as "TCPWRAP"`;

/** What a typo is compared with: names a leak can carry. */
const SUGGESTIBLE: readonly string[] = [...RESOURCE_KINDS, ...KIND_OF_TYPE.keys()];

function isNodeType(name: string): boolean {
  return KIND_OF_TYPE.has(name) || IGNORED_NODE_TYPES.has(name) || PARENT_ONLY_TYPES.has(name);
}

/**
 * Why `name` is not accepted, in a sentence or two, or `undefined` when it is. With
 * `customTypes`, a name close to no kind or type is taken as a user's own `AsyncResource` type.
 */
export function rejectTypeName(name: string, customTypes: boolean): string | undefined {
  if (isResourceKind(name) || isNodeType(name)) return undefined;
  if (customTypes && closestMatch(name, SUGGESTIBLE) === undefined) return undefined;
  return `${JSON.stringify(name)} is not a resource kind.${didYouMean(name, SUGGESTIBLE)}`;
}
