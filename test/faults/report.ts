import { Figures } from './invariants';

const COLUMNS: [string, (f: Figures) => string][] = [
  ['scenario', (f) => f.scenario],
  ['requests', (f) => String(f.requests)],
  ['2xx', (f) => String(f.ok)],
  ['500', (f) => String(f.internalErrors)],
  ['records', (f) => String(f.records)],
  ['SIGNED', (f) => String(f.signed)],
  ['2xx w/o 1 good record', (f) => String(f.okWithoutGoodRecord)],
  ['docs w/o record', (f) => String(f.documentsWithoutGoodRecord)],
  ['re-verify fails', (f) => String(f.signedFailingReverify)],
  ['PENDING past lease', (f) => String(f.pendingPastLease)],
  ['max SIGNED/key', (f) => String(f.maxSignedPerKey)],
  ['autoSign calls', (f) => String(f.autoSignCalls)],
  ['over attempts', (f) => String(f.attemptsOverBound)],
  ['polls/login (bound)', (f) => (f.maxPollsPerLogin === undefined ? '-' : `${f.maxPollsPerLogin} (${f.pollBound})`)],
  ['min poll gap', (f) => (f.minPollGapMs === undefined ? '-' : `${f.minPollGapMs} ms`)],
  ['recovery wait', (f) => `${(f.recoveryWaitMs / 1000).toFixed(1)} s`],
  ['held', (f) => (f.violations.length ? 'NO' : 'yes')],
];

/** The per-scenario figures as a plain-text table, then the answers each scenario got and any violation. */
export function figuresTable(rows: Figures[]): string {
  const cells = [COLUMNS.map(([name]) => name), ...rows.map((row) => COLUMNS.map(([, cell]) => cell(row)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  const out = [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)];
  out.push('', 'answers per scenario:');
  for (const row of rows) {
    const answers = Object.entries(row.answers)
      .sort(([, a], [, b]) => b - a)
      .map(([type, n]) => `${type} x${n}`)
      .join(', ');
    out.push(`  ${row.scenario}: ${answers}`);
    for (const violation of row.violations) out.push(`    VIOLATION: ${violation}`);
  }
  return out.join('\n');
}
