/** How many steps in all, and how many of them (the first) optimise one shared w. */
export interface StepPlan {
  total: number;
  wSteps: number;
}

/**
 * Splits `total` steps into the W and W+ phases. When a time budget re-fits a running plan after `done` steps,
 * pass the plan so far: a phase change already past stays where it was, one still ahead moves with the new total
 * (but not into the past).
 */
export function planSteps(total: number, wFraction: number, done = 0, previous?: StepPlan): StepPlan {
  const t = Math.max(done, Math.floor(total));
  if (previous && done > previous.wSteps) return { total: t, wSteps: previous.wSteps };
  const wSteps = Math.min(t, Math.max(done, Math.round(t * wFraction)));
  return { total: t, wSteps };
}
