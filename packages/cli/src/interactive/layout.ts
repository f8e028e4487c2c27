/**
 * The frame every screen shares: a title bar, the breadcrumb (Main Menu › Chat › Bob Example), a
 * rule, the screen's body, a status line (spinner, notices) and a line of key hints. Every row is
 * cut to the terminal's width, so the frame fits exactly at any size.
 */
import type { Colors } from "../render/colors.js";
import { oneLine } from "../render/sanitize.js";
import { displayWidth, padToWidth, truncateToWidth } from "./width.js";

export const HEADER_ROWS = 3;
export const FOOTER_ROWS = 2;
export const CRUMB_SEPARATOR = " › ";

export interface FrameParts {
  width: number;
  height: number;
  /** Right side of the title bar: who is signed in, their status. */
  who: string;
  crumbs: readonly string[];
  body: readonly string[];
  status: string;
  hint: string;
}

export function bodyHeight(height: number): number {
  return Math.max(1, height - HEADER_ROWS - FOOTER_ROWS);
}

export function breadcrumbText(crumbs: readonly string[]): string {
  return ["Main Menu", ...crumbs.map((c) => oneLine(c))].join(CRUMB_SEPARATOR);
}

/** Cuts a line that may carry colour codes: plain lines keep their colour, wider ones lose it. */
export function fit(line: string, width: number): string {
  if (displayWidth(line) <= width) return line;
  return truncateToWidth(line.replace(/\x1b\[[0-9;]*m/g, ""), width);
}

export function composeFrame(p: FrameParts, c: Colors): string[] {
  const w = p.width;
  const title = " Microsoft Teams";
  const who = truncateToWidth(p.who, Math.max(0, w - displayWidth(title) - 3));
  const gap = Math.max(1, w - displayWidth(title) - displayWidth(who) - 1);
  const bar = padToWidth(`${title}${" ".repeat(gap)}${who}`, w);
  const lines = [
    c.inverse(c.bold(bar)),
    c.bold(c.cyan(truncateToWidth(breadcrumbText(p.crumbs), w))),
    c.dim("─".repeat(w)),
  ];
  const rows = bodyHeight(p.height);
  for (let i = 0; i < rows; i++) lines.push(fit(p.body[i] ?? "", w));
  lines.push(fit(p.status, w));
  lines.push(c.dim(truncateToWidth(p.hint, w)));
  return lines.slice(0, p.height);
}
