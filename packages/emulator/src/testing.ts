import { createHash, randomBytes } from "node:crypto";
import { CLIENT_IDS, parseSignInForm } from "@teams-api/protocol";

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

/**
 * A refresh token of the Teams web app (a single-page app: its refresh tokens live a fixed 24 h),
 * as someone would lift it from a browser: the authorize page filled in, the code redeemed with
 * PKCE and the web app's Origin.
 */
export async function webAppRefreshToken(loginUrl: string, username: string, password: string): Promise<string> {
  const verifier = randomBytes(32).toString("base64url");
  const redirectUri = "https://teams.microsoft.com/v2";
  const q = new URLSearchParams({
    client_id: CLIENT_IDS.teamsWeb,
    response_type: "code",
    redirect_uri: redirectUri,
    scope: "https://api.spaces.skype.com/.default openid profile offline_access",
    state: "web-app",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  });
  const landed = await signInByForm(`${loginUrl}/common/oauth2/v2.0/authorize?${q}`, username, password);
  const res = await fetch(`${loginUrl}/common/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://teams.microsoft.com" },
    body: new URLSearchParams({
      client_id: CLIENT_IDS.teamsWeb,
      grant_type: "authorization_code",
      code: new URL(landed).searchParams.get("code") ?? "",
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  const body = (await res.json()) as { refresh_token?: string };
  if (!body.refresh_token) throw new Error(`no refresh token (HTTP ${res.status})`);
  return body.refresh_token;
}
