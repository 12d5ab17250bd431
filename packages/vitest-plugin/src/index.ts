export type { LeakFilter, LeakRecord, LooseEndsOptions, Mode, ResourceKind } from '@loose-ends/core';
export { allowLeaks, LooseEndsOptionsError, leakAllowed } from '@loose-ends/core';
export type { LooseEndsTaskMeta } from './meta.js';
export { looseEnds, looseEnds as default } from './plugin.js';
