import { parseSignInForm } from "@teams-api/protocol";

/**
 * What a person does in the browser, by raw fetches: open the authorize address, fill in the
 * emulator's sign-in form, and return the address the sign-in service redirects to (not followed).
 * For tests and demos that need a redirect URL without the library's own sign-in code.
 */
export async function signInByForm(authorizeUrl: string, username: string, password: string): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: "manual" });
  const form = parseSignInForm(await page.text());
  if (!form) throw new Error(`no sign-in form (HTTP ${page.status})`);
  const body = new URLSearchParams();
  for (const [k, v] of form.fields) body.append(k, v);
  body.set(form.usernameField, username);
  body.set(form.passwordField, password);
  const res = await fetch(new URL(form.action, authorizeUrl), { method: "POST", body, redirect: "manual" });
  await res.arrayBuffer();
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`the form did not redirect (HTTP ${res.status})`);
  return new URL(location, authorizeUrl).toString();
}
