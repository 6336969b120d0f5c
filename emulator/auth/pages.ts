import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { describeScope } from '../../protocol/scopes';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

// Light and dark by the browser's setting (CSS only: the page's CSP allows no script).
const STYLE = `
  :root { color-scheme: light dark; --fg: #2c3032; --bg: #f2f4f5; --card: #fff; --accent: #036fe2;
          --on-accent: #fff; --muted: #5f676c; --field: #c3c7cc; --rule: #eceff1;
          --error-bg: #fdecea; --error-fg: #8a1c14; --hint-bg: #e8f2fd;
          font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;
          color: var(--fg); }
  @media (prefers-color-scheme: dark) {
    :root { --fg: #e8eaeb; --bg: #121517; --card: #1c2124; --accent: #6cb2ff; --on-accent: #0b1a2b;
            --muted: #a5adb3; --field: #59636a; --rule: #353c41; --error-bg: #3b1f1d;
            --error-fg: #f6b3ad; --hint-bg: #172a40; }
  }
  body { margin: 0; background: var(--bg); }
  main { max-width: 420px; margin: 48px auto; background: var(--card); border-radius: 8px;
         box-shadow: 0 2px 10px rgba(0,0,0,.08); padding: 32px; }
  h1 { font-size: 22px; margin: 0 0 8px; }
  .brand { color: var(--accent); font-weight: 700; letter-spacing: .02em; margin-bottom: 20px; }
  label { display: block; font-size: 14px; margin: 14px 0 4px; }
  input[type=email], input[type=password] { width: 100%; box-sizing: border-box; padding: 10px;
         border: 1px solid var(--field); border-radius: 6px; font-size: 15px;
         background: var(--card); color: var(--fg); }
  button { margin-top: 20px; padding: 10px 18px; border-radius: 6px; border: 0; font-size: 15px;
           cursor: pointer; background: var(--accent); color: var(--on-accent); }
  button.secondary { background: var(--card); color: var(--accent); border: 1px solid var(--accent); margin-right: 8px; }
  .error { background: var(--error-bg); color: var(--error-fg); padding: 10px 12px; border-radius: 6px; }
  .hint { background: var(--hint-bg); padding: 10px 12px; border-radius: 6px; font-size: 14px; }
  ul.scopes { list-style: none; padding: 0; }
  ul.scopes li { padding: 8px 0; border-bottom: 1px solid var(--rule); }
  ul.scopes code { color: var(--muted); font-size: 12px; }
  ul.included { list-style: none; padding: 4px 0 0 26px; font-size: 14px; }
  ul.scopes ul.included li { border: 0; padding: 2px 0; }
  .muted { color: var(--muted); font-size: 14px; }
`;

export function page(title: string, nonce: string, body: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · CARTO (emulator)</title>
        <style nonce="${nonce}">
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <main>
          <div class="brand">CARTO <span class="muted">platform emulator</span></div>
          ${body}
        </main>
      </body>
    </html>`;
}

export interface LoginPageProps {
  requestId: string;
  csrf: string;
  clientName: string;
  error?: string;
  email?: string;
  demoHint?: { email: string; password: string } | null;
  organization?: { name: string; sso: boolean } | null;
}

export function loginPage(p: LoginPageProps): Html {
  return html`<h1>Log in</h1>
    <p class="muted">to continue to <strong>${p.clientName}</strong></p>
    ${
      p.organization
        ? html`<p class="hint">
            Organization: <strong>${p.organization.name}</strong>${
              p.organization.sso
                ? ' — its single sign-on is emulated here with email and password.'
                : ''
            }
          </p>`
        : ''
    }
    ${p.error ? html`<p class="error" role="alert">${p.error}</p>` : ''}
    ${
      p.demoHint
        ? html`<p class="hint">
            Demo account: <strong>${p.demoHint.email}</strong> /
            <strong>${p.demoHint.password}</strong>
          </p>`
        : ''
    }
    <form method="post" action="/authorize/login">
      <input type="hidden" name="request" value="${p.requestId}" />
      <input type="hidden" name="csrf" value="${p.csrf}" />
      <label for="email">Email</label>
      <input
        id="email"
        name="email"
        type="email"
        autocomplete="username"
        required
        value="${p.email ?? ''}"
      />
      <label for="password">Password</label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
      />
      <button type="submit">Log in</button>
    </form>`;
}

export interface ConsentPageProps {
  requestId: string;
  csrf: string;
  clientName: string;
  userName: string;
  userEmail: string;
  /** One checkbox each. */
  scopes: string[];
  /**
   * Scopes that come with another one and cannot be unticked on their own: shown under it,
   * without a checkbox (`read:connections` -> the dataset scopes asked with it).
   */
  includedWith?: Record<string, string[]>;
}

export function consentPage(p: ConsentPageProps): Html {
  return html`<h1>Allow access?</h1>
    <p><strong>${p.clientName}</strong> wants to use your CARTO account.</p>
    <p class="muted">Signed in as ${p.userName} (${p.userEmail})</p>
    <form method="post" action="/authorize/consent">
      <input type="hidden" name="request" value="${p.requestId}" />
      <input type="hidden" name="csrf" value="${p.csrf}" />
      ${
        p.scopes.length > 0
          ? html`<p>It will be able to:</p>
              <ul class="scopes">
                ${p.scopes.map(
                  (scope) =>
                    html`<li>
                      <label
                        ><input type="checkbox" name="scope" value="${scope}" checked />
                        ${describeScope(scope)} <code>${scope}</code></label
                      >
                      ${included(p.includedWith?.[scope] ?? [])}
                    </li>`,
                )}
              </ul>
              <p class="muted">Untick anything you do not want to allow.</p>`
          : html`<p class="muted">It asks for no permissions beyond knowing who you are.</p>`
      }
      <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
      <button type="submit" name="decision" value="allow">Allow</button>
    </form>`;
}

function included(scopes: string[]): Html | string {
  if (scopes.length === 0) return '';
  return html`<ul class="included">
    ${scopes.map(
      (scope) =>
        html`<li>
          ${describeScope(scope)} <code>${scope}</code>
          <span class="muted">— comes with access to your connections</span>
        </li>`,
    )}
  </ul>`;
}

export function errorPage(title: string, message: string): Html {
  return html`<h1>${title}</h1>
    <p class="error" role="alert">${message}</p>
    <p class="muted">
      Nothing was sent back to the application. If you are its developer, check its OAuth client
      settings (client id and Allowed Callback URLs).
    </p>`;
}

export function loggedOutPage(): Html {
  return html`<h1>You are logged out</h1>
    <p class="muted">You can close this window.</p>`;
}
