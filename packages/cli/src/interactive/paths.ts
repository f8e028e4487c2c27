/** Tab completion of file paths for `/file` and Upload a file: `~` and relative paths, directories end in `/`. */
import { readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? "";
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** The typed path completed as far as it is unambiguous; undefined when nothing can be added. */
export function completePath(typed: string, cwd = process.cwd()): string | undefined {
  const endsWithSlash = typed.endsWith("/");
  const dirTyped = endsWithSlash ? typed : typed.includes("/") ? `${dirname(typed)}/` : "";
  const base = endsWithSlash ? "" : basename(typed);
  const dir = resolve(cwd, expandHome(dirTyped || "."));
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(base) && (base.startsWith(".") || !n.startsWith(".")));
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  let completed = commonPrefix(names);
  if (names.length === 1) {
    try {
      if (statSync(join(dir, completed)).isDirectory()) completed += "/";
    } catch {
      // A name that vanished: complete it as it is.
    }
  }
  const out = `${dirTyped === "./" && !typed.startsWith("./") ? "" : dirTyped}${completed}`;
  return out === typed ? undefined : out;
}
