/** The adversarial suite's report: one table per file (case, attempts, accepted). */
export interface Row {
  case: string;
  attempts: number;
  /** Attempts that got through (or, for fuzzing, answered with a 5xx): must be 0. */
  accepted: number;
}

export function printTable(title: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const width = Math.max(4, ...rows.map((r) => r.case.length));
  const line = (c: string, a: string, x: string) =>
    `${c.padEnd(width)}  ${a.padStart(8)}  ${x.padStart(8)}`;
  console.log(
    [
      `\n${title}`,
      line('case', 'attempts', 'accepted'),
      ...rows.map((r) => line(r.case, String(r.attempts), String(r.accepted))),
      line(
        'total',
        String(rows.reduce((s, r) => s + r.attempts, 0)),
        String(rows.reduce((s, r) => s + r.accepted, 0)),
      ),
    ].join('\n'),
  );
}
