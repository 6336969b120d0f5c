#!/usr/bin/env node
// `npx carto-auth ...`: runs the TypeScript CLI through tsx (a dev dependency of this starter).
import { register } from 'tsx/esm/api';

register();
await import('../carto-auth/run.ts');
