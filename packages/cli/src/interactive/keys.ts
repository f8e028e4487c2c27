/**
 * Keys as the app sees them, decoded from raw terminal input by Node's own readline decoder
 * (arrows, PgUp/PgDn, Alt+Enter as `return` with `meta`, bracketed paste as `paste-start`/`paste-end`).
 */
import { emitKeypressEvents } from "node:readline";

export interface Key {
  /** `up`, `return`, `enter`, `backspace`, `c` (with ctrl)…; undefined for plain characters like "é". */
  name?: string | undefined;
  /** The characters typed, for printable keys. */
  text?: string | undefined;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
  /** Inside a bracketed paste: Enter inserts a newline instead of submitting. */
  pasted?: boolean;
}

export function isCtrlC(key: Key): boolean {
  return key.ctrl && key.name === "c";
}

/** A key that types something (a printable character, not a control). */
export function printable(key: Key): string | undefined {
  if (key.ctrl || key.meta || key.text === undefined) return undefined;
  return /^[\x00-\x1f\x7f]/.test(key.text) ? undefined : key.text;
}

/** Calls `onKey` for every key the stream delivers; returns the unsubscribe. */
export function listenKeys(stream: NodeJS.ReadStream, onKey: (key: Key) => void): () => void {
  emitKeypressEvents(stream);
  let pasting = false;
  const handler = (
    str: string | undefined,
    k: { name?: string; ctrl?: boolean; meta?: boolean; shift?: boolean } | undefined,
  ): void => {
    const name = k?.name;
    if (name === "paste-start") {
      pasting = true;
      return;
    }
    if (name === "paste-end") {
      pasting = false;
      return;
    }
    // Esc typed just before a character arrives as one "meta" key (\x1b/): it is Esc, then the
    // character — except the Alt keys the input line uses (Alt+B, Alt+F, Alt+Enter).
    const seq = (k as { sequence?: string } | undefined)?.sequence ?? "";
    if (k?.meta && seq.length === 2 && seq[0] === "\x1b" && /^[\x20-\x7e]$/.test(seq[1]!) && !/[bf]/.test(seq[1]!)) {
      onKey({ name: "escape", ctrl: false, meta: false, shift: false });
      onKey({ name: seq[1], text: seq[1], ctrl: false, meta: false, shift: false });
      return;
    }
    onKey({
      name,
      text: str,
      ctrl: Boolean(k?.ctrl),
      meta: Boolean(k?.meta),
      shift: Boolean(k?.shift),
      ...(pasting ? { pasted: true } : {}),
    });
  };
  stream.on("keypress", handler);
  return () => {
    stream.off("keypress", handler);
  };
}
