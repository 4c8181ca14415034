/** Checks on the panel shared by the end-to-end tests: axe-core over the page, and whether the action bar is on screen. */
import { readFileSync } from 'fs';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core (Deque's rules engine) run in the page; it reads into open shadow roots. */
export async function axeViolations(page: Page, skipRules: readonly string[] = []): Promise<AxeViolation[]> {
  // evaluated through DevTools, which the pages' Content-Security-Policy does not govern (a script tag it refuses)
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async (skip) => {
    const axe = (
      window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const rules = Object.fromEntries(skip.map((id) => [id, { enabled: false }]));
    const r = await axe.run(document, { resultTypes: ['violations'], rules });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  }, skipRules);
}

/** Whether Run, Stop and Apply lie wholly inside the window as it is, without scrolling anything. */
export async function actionsInView(page: Page): Promise<Record<'run' | 'stop' | 'apply', boolean>> {
  return page.evaluate(() => {
    const root = document.querySelector('dg-panel')!.shadowRoot!;
    const inView = (id: string) => {
      const r = root.querySelector(`[data-testid=${id}]`)?.getBoundingClientRect();
      return (
        !!r &&
        r.width > 0 &&
        r.top >= 0 &&
        r.left >= 0 &&
        r.bottom <= window.innerHeight &&
        r.right <= window.innerWidth
      );
    };
    return { run: inView('run'), stop: inView('stop'), apply: inView('apply') };
  });
}

/** How many rows the action bar's first line of controls (Run ... Apply, Ease, Loop) is wrapped into, as laid out now. */
export async function actionRows(page: Page): Promise<number> {
  return page.evaluate(() => {
    const row = document.querySelector('dg-panel')!.shadowRoot!.querySelector('[data-testid=actions] .row')!;
    const middles = Array.from(row.querySelectorAll('button, label'))
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.width > 0)
      .map((r) => r.top + r.height / 2)
      .sort((a, b) => a - b);
    // controls of one row share their middle (align-items: center); a new row starts a control's height lower
    return middles.filter((m, i) => i === 0 || m - middles[i - 1] > 8).length;
  });
}
