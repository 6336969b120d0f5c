import { beforeAll } from 'vitest';

/**
 * jsdom has no layout: CodeMirror measures text through Range rectangles, which jsdom lacks.
 * Empty ones will do for these tests (here, not in tests/setup.ts: only the editor needs them).
 */
export function rangeRectsForCodeMirror(): void {
  beforeAll(() => {
    const empty = (): DOMRect => ({
      x: 0,
      y: 0,
      width: 0,
      height: 0,
      top: 0,
      left: 0,
      right: 0,
      bottom: 0,
      toJSON: () => ({}),
    });
    Range.prototype.getBoundingClientRect = empty;
    Range.prototype.getClientRects = () => Object.assign([], { item: () => null });
  });
}
