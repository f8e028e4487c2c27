/**
 * The local side of uploads and downloads: checking what is uploaded, naming what is saved. A name
 * from the server is untrusted — `../../etc/passwd`, `/etc/passwd`, `C:\x`, control characters,
 * `..`, device names — so it becomes one safe file name inside the target directory, and a file is
 * created only where nothing exists (O_EXCL): an existing file is never overwritten silently.
 */
import { constants, type FileHandle, open, stat } from "node:fs/promises";
import { basename, extname, join, resolve, sep } from "node:path";
import { InvalidArgumentError } from "../../errors.js";

/** Longest file name written (bytes of UTF-8 stay under common 255-byte limits). */
const MAX_NAME = 120;
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$/i;

/**
 * One safe file name from an untrusted one: the last path segment only (either slash), control and
 * bidi characters and `<>:"|?*` replaced, leading dots and trailing dots/spaces removed, reserved
 * device names prefixed, cut to a sane length keeping the extension; `fallback` when nothing is left.
 */
export function safeFileName(name: string | undefined, fallback = "download"): string {
  let n = typeof name === "string" ? name.normalize("NFC") : "";
  n = n.split(/[/\\]/).pop() ?? "";
  n = n.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g, "_");
  n = n.replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  if (!n || n === "_" || /^_+$/.test(n)) n = fallback;
  if (WINDOWS_RESERVED.test(n)) n = `_${n}`;
  if (n.length > MAX_NAME) {
    const ext = extname(n).slice(0, 16);
    n = [...n.slice(0, MAX_NAME - ext.length)].join("") + ext;
  }
  return n;
}

/**
 * Creates a new file for `name` inside `dir` without touching anything that exists: `name`, else
 * `name (1).ext`, `name (2).ext`… Returns the open handle and its absolute path.
 */
export async function createUniqueFile(dir: string, name: string): Promise<{ handle: FileHandle; path: string }> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new InvalidArgumentError(`The folder ${root} does not exist.`);
  if (!info.isDirectory()) throw new InvalidArgumentError(`${root} is not a folder.`);
  const ext = extname(name);
  const stem = ext ? name.slice(0, -ext.length) : name;
  for (let i = 0; i < 1000; i++) {
    const candidate = i === 0 ? name : `${stem} (${i})${ext}`;
    const path = join(root, candidate);
    // Belt and braces: the name has no separators, so the path cannot leave the folder.
    if (!path.startsWith(root + sep) || basename(path) !== candidate) {
      throw new InvalidArgumentError("That file name would leave the target folder.");
    }
    try {
      const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      return { handle, path };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  throw new InvalidArgumentError(`There are already 1000 files named like ${name} in ${root}.`);
}

/** What an upload from a path sends: checked to be a regular, non-empty, readable file. */
export async function checkUploadPath(path: string): Promise<{ size: number; name: string }> {
  if (typeof path !== "string" || path.trim() === "") throw new InvalidArgumentError("Name the file to upload.");
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new InvalidArgumentError(`There is no file at ${path}.`);
    if (code === "EACCES") throw new InvalidArgumentError(`${path} cannot be read (permission denied).`);
    throw err;
  }
  if (info.isDirectory()) throw new InvalidArgumentError(`${path} is a folder; upload a file.`);
  if (!info.isFile()) throw new InvalidArgumentError(`${path} is not a regular file.`);
  if (info.size === 0) throw new InvalidArgumentError(`${path} is empty; there is nothing to upload.`);
  return { size: info.size, name: basename(path) };
}
