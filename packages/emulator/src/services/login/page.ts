/**
 * The sign-in pages of the emulated login.microsoftonline.com: a real, self-contained HTML form
 * (no scripts, no external assets) that a person, a browser driver or a test doing raw fetches can
 * all fill in. Every value written into the page is HTML-escaped.
 */

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:"Segoe UI",system-ui,-apple-system,sans-serif;background:#f2f2f2;color:#1b1b1b}
main{max-width:440px;margin:8vh auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;font-weight:600;margin:0 0 16px}
p.note{font-size:.85rem;color:#444}
label{display:block;font-size:.9rem;margin:16px 0 4px}
input[type=email],input[type=text],input[type=password]{width:100%;padding:6px 2px;font-size:1rem;border:0;border-bottom:1px solid #666}
input:focus{outline:2px solid #0067b8;outline-offset:2px}
button{margin-top:24px;min-width:108px;padding:6px 12px;font-size:1rem;color:#fff;background:#0067b8;border:0;cursor:pointer}
button:focus{outline:2px solid #000;outline-offset:2px}
.error{color:#e81123;margin:12px 0 0;font-size:.95rem}
.details{font-size:.8rem;color:#555;margin-top:24px;word-break:break-all}
`;

function document(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="none">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface SignInPageOptions {
  /** Path the form posts to. */
  action: string;
  /** The authorize request, carried along in hidden fields. */
  hidden: ReadonlyMap<string, string>;
  /** Prefilled sign-in name (login_hint or the name just tried). */
  username?: string | undefined;
  /** Error shown above the form (role=alert), with its AADSTS code in the details. */
  error?: { message: string; code: number; requestId: string } | undefined;
  /** Which accounts this authority accepts, shown as a hint. */
  audienceNote: string;
  /** Adds a Cancel button that submits this field name (the device-code flow's decline). */
  declineName?: string | undefined;
}

export function signInPage(options: SignInPageOptions): string {
  const hidden = [...options.hidden]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  const error = options.error
    ? `<p id="error" class="error" role="alert" data-aadsts="${options.error.code}">${escapeHtml(options.error.message)}</p>`
    : "";
  const details = options.error
    ? `<p class="details">Error code: AADSTS${options.error.code}<br>Request Id: ${escapeHtml(options.error.requestId)}</p>`
    : "";
  const describedBy = options.error ? ' aria-describedby="error" aria-invalid="true"' : "";
  return document(
    "Sign in to your account",
    `<h1 id="title">Sign in</h1>
<p class="note">teams-emulator — ${escapeHtml(options.audienceNote)}</p>
<form method="post" action="${escapeHtml(options.action)}" aria-labelledby="title" novalidate>
${error}
<label for="login">Email, phone, or Skype</label>
<input id="login" name="login" type="email" autocomplete="username" required value="${escapeHtml(options.username ?? "")}"${describedBy}>
<label for="passwd">Password</label>
<input id="passwd" name="passwd" type="password" autocomplete="current-password" required${describedBy}>
${hidden}
<button type="submit" id="idSIButton9">Sign in</button>
${options.declineName ? `<button type="submit" id="idBtn_Back" name="${escapeHtml(options.declineName)}" value="1" formnovalidate>Cancel</button>` : ""}
</form>
${details}`,
  );
}

/** An error page for requests that cannot be answered by redirect (bad client, redirect URI, tenant). */
export function errorPage(message: string, code: number, requestId: string): string {
  return document(
    "Sign in to your account",
    `<h1>Sorry, but we’re having trouble signing you in.</h1>
<p id="error" class="error" role="alert" data-aadsts="${code}">AADSTS${code}: ${escapeHtml(message)}</p>
<p class="details">Request Id: ${escapeHtml(requestId)}<br>Correlation Id: ${escapeHtml(requestId)}<br>Timestamp: ${new Date().toISOString()}</p>`,
  );
}

/** Headers of every sign-in page: no caching, no framing, nothing loaded from elsewhere. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store, no-cache",
  Pragma: "no-cache",
  "X-Frame-Options": "DENY",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "Referrer-Policy": "no-referrer",
};

/** The device-login page: enter the code shown on the device (PROTOCOL.md §1.6). */
export function deviceCodePage(options: {
  action: string;
  error?: { message: string; code: number } | undefined;
}): string {
  const error = options.error
    ? `<p id="error" class="error" role="alert" data-aadsts="${options.error.code}">${escapeHtml(options.error.message)}</p>`
    : "";
  const describedBy = options.error ? ' aria-describedby="error" aria-invalid="true"' : "";
  return document(
    "Enter code",
    `<h1 id="title">Enter code</h1>
<p class="note">Enter the code displayed on your app or device.</p>
<form method="post" action="${escapeHtml(options.action)}" aria-labelledby="title" novalidate>
${error}
<label for="otc">Code</label>
<input id="otc" name="otc" type="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required${describedBy}>
<button type="submit" id="idSIButton9">Next</button>
</form>`,
  );
}

/** The page that ends a device-code sign-in (signed in, or declined with Cancel). */
export function deviceDonePage(appName: string, outcome: "signed-in" | "declined" = "signed-in"): string {
  if (outcome === "declined") {
    return document(
      "Sign-in declined",
      `<h1>${escapeHtml(appName)}</h1>
<p role="status">You have declined to sign in to the ${escapeHtml(appName)} application on your device. You may now close this window.</p>`,
    );
  }
  return document(
    "Signed in",
    `<h1>${escapeHtml(appName)}</h1>
<p role="status">You have signed in to the ${escapeHtml(appName)} application on your device. You may now close this window.</p>`,
  );
}
