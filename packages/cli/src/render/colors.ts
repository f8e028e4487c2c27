import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

export interface ColorEnv {
  /** `--no-color` was given. */
  noColor?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Colour only on a terminal, and never with `--no-color` or `NO_COLOR` (https://no-color.org); `FORCE_COLOR` forces it. */
export function colorEnabled(stream: { isTTY?: boolean }, options: ColorEnv = {}): boolean {
  const env = options.env ?? process.env;
  if (options.noColor) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.TERM === "dumb") return false;
  return Boolean(stream.isTTY);
}

export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
