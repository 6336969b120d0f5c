import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** One axe violation on a screen: its impact, rule and how many elements it hit. */
export interface AxeFinding {
  screen: string;
  impact: string;
  rule: string;
  nodes: number;
  /** The first element's selector. */
  example: string;
}

/**
 * Runs axe (WCAG 2.1 A and AA rules, and axe's best practices) on what a page shows now. The
 * map canvas is left out: a WebGL picture has no DOM for axe to read (its text alternative, the
 * layer list and legends, is checked). Gives every violation, and the serious and critical
 * ones as lines for an assertion.
 */
export async function axeAudit(
  page: Page,
  screen: string,
): Promise<{ found: AxeFinding[]; serious: string[] }> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .exclude('.maplibregl-canvas')
    .analyze();
  return {
    found: results.violations.map((v) => ({
      screen,
      impact: v.impact ?? 'unknown',
      rule: v.id,
      nodes: v.nodes.length,
      example: v.nodes[0]?.target.join(' ') ?? '',
    })),
    serious: results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${screen}: ${v.id} (${v.impact}) on ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''} ${n.html.slice(0, 400)}`).join(', ')}`,
      ),
  };
}
