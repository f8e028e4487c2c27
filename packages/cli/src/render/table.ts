import Table from "cli-table3";
import type { Colors } from "./colors.js";

export interface TableOptions {
  head: string[];
  rows: string[][];
  colors: Colors;
  /** Column widths including padding; omitted columns size to content. */
  colWidths?: Array<number | null>;
}

/**
 * A bordered table. Cells must already be sanitized; cli-table3's own colours are switched off so
 * `--no-color` and NO_COLOR hold (its defaults paint headers red regardless).
 */
export function renderTable(options: TableOptions): string {
  const table = new Table({
    head: options.head.map((h) => options.colors.bold(h)),
    style: { head: [], border: [], "padding-left": 1, "padding-right": 1 },
    wordWrap: false,
    ...(options.colWidths ? { colWidths: options.colWidths } : {}),
  });
  for (const row of options.rows) table.push(row);
  return table.toString();
}
