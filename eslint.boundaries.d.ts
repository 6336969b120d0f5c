import type { Linter } from 'eslint';

/** The import-direction rules of eslint.boundaries.js, for tests that lint with them alone. */
export declare const boundaries: Linter.Config[];
