import { type Command, InvalidArgumentError } from "commander";
import type { App } from "../app.js";

/** Builds the app context for a command from its (and its parents') parsed options. */
export type AppFor = (cmd: Command) => App;

/** `--count N`: a whole number from 1 to 200. */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > 200) {
    throw new InvalidArgumentError("expected a whole number from 1 to 200.");
  }
  return n;
}
