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

/**
 * What a person does on the device-code verification page, by raw fetches: enter the user code,
 * then sign in — or press Cancel (`decline`). Resolves with the text of the page that ends it.
 */
export async function approveDeviceCode(
  verificationUri: string,
  userCode: string,
  username: string,
  password: string,
  options: { decline?: boolean } = {},
): Promise<string> {
  const post = async (url: string | URL, body: URLSearchParams): Promise<string> => {
    const res = await fetch(url, { method: "POST", body, redirect: "manual" });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`the verification page answered HTTP ${res.status}`);
    return text;
  };
  const first = await fetch(verificationUri);
  const codePage = await first.text();
  const action = /<form\b[^>]*\baction="([^"]*)"/i.exec(codePage)?.[1];
  if (!action) throw new Error(`no code form on the verification page (HTTP ${first.status})`);
  const target = new URL(action.replaceAll("&amp;", "&"), verificationUri);
  const signInHtml = await post(target, new URLSearchParams({ otc: userCode }));
  const form = parseSignInForm(signInHtml);
  if (!form) throw new Error("the code was not accepted (no sign-in form followed)");
  const body = new URLSearchParams();
  for (const [k, v] of form.fields) body.append(k, v);
  if (options.decline) {
    body.set("decline", "1");
  } else {
    body.set(form.usernameField, username);
    body.set(form.passwordField, password);
  }
  return post(new URL(form.action || target, target), body);
}
