/**
 * Reads an HTML sign-in form: where it posts, its hidden fields, and which fields take the user name
 * and the password. The emulator's sign-in page is a plain form; the real Microsoft page is a
 * script-driven app with no such form, which `parseSignInForm` reports as `undefined`.
 */
import { Parser } from "htmlparser2";

export interface SignInForm {
  /** The form's `action`, as written (resolve it against the page URL). */
  readonly action: string;
  /** Upper-case method, `POST` unless the form says otherwise. */
  readonly method: string;
  /** Every named input that is not the user name or password, with its value (hidden fields…). */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  /** Name of the user-name input (`type=email|text`, or autocomplete=username). */
  readonly usernameField: string;
  /** Name of the password input. */
  readonly passwordField: string;
  /** The page's error message (an element with role=alert), if it shows one. */
  readonly error: string | undefined;
  /** `data-aadsts` of the error element, if present. */
  readonly errorCode: string | undefined;
}

/** Pages larger than this are not sign-in forms. */
const MAX_PAGE = 512 * 1024;

interface RawForm {
  action: string;
  method: string;
  inputs: Array<Record<string, string>>;
}

/** The first form on the page that has a password input, or undefined. Never throws. */
export function parseSignInForm(html: string): SignInForm | undefined {
  if (html.length > MAX_PAGE) return undefined;
  const forms: RawForm[] = [];
  let current: RawForm | undefined;
  let error: string | undefined;
  let errorCode: string | undefined;
  let alertDepth = 0;
  let alertText = "";
  try {
    const parser = new Parser(
      {
        onopentag(name, attribs) {
          if (alertDepth > 0) alertDepth++;
          else if (attribs.role === "alert" && error === undefined) {
            alertDepth = 1;
            alertText = "";
            errorCode = attribs["data-aadsts"];
          }
          if (name === "form") {
            current = { action: attribs.action ?? "", method: (attribs.method ?? "post").toUpperCase(), inputs: [] };
            forms.push(current);
          } else if (name === "input" && current) {
            current.inputs.push({ ...attribs });
          }
        },
        ontext(text) {
          if (alertDepth > 0) alertText += text;
        },
        onclosetag(name) {
          if (alertDepth > 0) {
            alertDepth--;
            if (alertDepth === 0) error = alertText.replace(/\s+/g, " ").trim() || undefined;
          }
          if (name === "form") current = undefined;
        },
      },
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
    );
    parser.write(html);
    parser.end();
  } catch {
    return undefined;
  }
  for (const form of forms) {
    const password = form.inputs.find((i) => (i.type ?? "").toLowerCase() === "password" && i.name);
    if (!password?.name) continue;
    const username = form.inputs.find((i) => {
      const type = (i.type ?? "text").toLowerCase();
      return i.name && (i.autocomplete === "username" || type === "email" || type === "text");
    });
    if (!username?.name) continue;
    const fields: Array<readonly [string, string]> = [];
    for (const i of form.inputs) {
      if (!i.name || i === username || i === password) continue;
      const type = (i.type ?? "text").toLowerCase();
      if (type === "submit" || type === "button" || type === "image" || type === "file") continue;
      if ((type === "checkbox" || type === "radio") && i.checked === undefined) continue;
      fields.push([i.name, i.value ?? ""]);
    }
    return {
      action: form.action,
      method: form.method,
      fields,
      usernameField: username.name,
      passwordField: password.name,
      error,
      errorCode,
    };
  }
  return undefined;
}
