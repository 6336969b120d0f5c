import type { Page } from 'playwright-core';

/** What the layout test found on a screen (see `measureLayout`). */
export interface LayoutReport {
  horizontalScroll: boolean;
  /** Visible elements (their part not clipped by a scrolling or clipping ancestor) off screen. */
  outside: string[];
  /** Rendered controls (on screen or scrolled away in a panel) under `minTarget` either way. */
  small: string[];
  /** How many visible controls were measured. */
  targets: number;
}

/**
 * Measures the page as shown: horizontal scroll, elements whose visible part leaves the
 * viewport, and the controls (buttons, links, tabs, switches, inputs) smaller than `minTarget`
 * px. A control's target is its own box or, for an input, its label's, whichever is larger.
 */
export function measureLayout(page: Page, minTarget: number): Promise<LayoutReport> {
  return page.evaluate((min) => {
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const describe = (el: Element) => {
      const label = el.getAttribute('aria-label') ?? el.textContent.trim().replace(/\s+/g, ' ');
      const cls = typeof el.className === 'string' ? el.className.split(' ')[0] : '';
      return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''} "${label.slice(0, 40)}"`;
    };
    /** The part of an element not clipped away by its ancestors, or null when none is. */
    const visibleRect = (el: Element) => {
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) return null;
      let { left, top, right, bottom } = r;
      for (let a = el.parentElement; a; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
          const c = a.getBoundingClientRect();
          left = Math.max(left, c.left);
          top = Math.max(top, c.top);
          right = Math.min(right, c.right);
          bottom = Math.min(bottom, c.bottom);
        }
      }
      return right - left >= 1 && bottom - top >= 1 ? { left, top, right, bottom } : null;
    };
    const shown = (el: Element) => {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || (Number(style.opacity) === 0 && el.tagName !== 'INPUT'))
        return false;
      return el.closest('[aria-hidden="true"]') === null || el.tagName === 'CANVAS';
    };
    const outside: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const rect = visibleRect(el);
      if (!rect || !shown(el)) continue;
      if (rect.left < -1 || rect.top < -1 || rect.right > vw + 1 || rect.bottom > vh + 1)
        outside.push(
          `${describe(el)} at ${Math.round(rect.left)},${Math.round(rect.top)}-${Math.round(rect.right)},${Math.round(rect.bottom)}`,
        );
    }
    const small: string[] = [];
    let targets = 0;
    const controls = document.querySelectorAll(
      'button, a[href], [role="tab"], [role="button"], [role="switch"], [role="menuitem"], [role="combobox"], summary, input:not([type="hidden"]), select, textarea, [contenteditable="true"]',
    );
    for (const el of controls) {
      // Every rendered control counts, scrolled out of its panel or not; a visually hidden
      // input (MUI's slider, clipped to nothing) is not a target: its visible thumb is.
      const style = getComputedStyle(el);
      const clipped =
        style.getPropertyValue('clip') === 'rect(0px, 0px, 0px, 0px)' || style.clipPath !== 'none';
      if (
        !el.checkVisibility({ visibilityProperty: true }) ||
        clipped ||
        el.closest('[aria-disabled="true"], :disabled, [aria-hidden="true"]')
      )
        continue;
      const own = el.getBoundingClientRect();
      const label = el.closest('label')?.getBoundingClientRect();
      const width = Math.max(own.width, label?.width ?? 0);
      const height = Math.max(own.height, label?.height ?? 0);
      targets += 1;
      if (width < min - 0.5 || height < min - 0.5)
        small.push(`${describe(el)} ${Math.round(width)}×${Math.round(height)}`);
    }
    const doc = document.documentElement;
    return {
      horizontalScroll: doc.scrollWidth > doc.clientWidth || document.body.scrollWidth > vw,
      outside,
      small,
      targets,
    };
  }, minTarget);
}
