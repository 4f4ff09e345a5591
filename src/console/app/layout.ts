/** The frame every console page shares: header, navigation, sign-out, assets; and the console's URLs. */
import { CSRF_FIELD } from './auth.js';
import { html, type Html, type HtmlPart } from './html.js';

export interface PageContext {
  /** Where the console is mounted, e.g. `/console`. */
  readonly base: string;
  /** The token state-changing forms carry. */
  readonly csrf: string;
  /** The access key id signed in, when sign-in is required. */
  readonly user: string | undefined;
  readonly requireAuth: boolean;
}

export function links(base: string) {
  return {
    home: `${base}/`,
    machine: (name: string) => `${base}/machines/${encodeURIComponent(name)}`,
    machineCost: (name: string) => `${base}/machines/${encodeURIComponent(name)}/cost`,
    machineCostApi: (name: string) => `${base}/api/machines/${encodeURIComponent(name)}/cost`,
    execution: (arn: string) => `${base}/executions/${encodeURIComponent(arn)}`,
    executionApi: (arn: string) => `${base}/api/executions/${encodeURIComponent(arn)}`,
    login: `${base}/login`,
    logout: `${base}/logout`,
    start: `${base}/actions/start`,
    stop: `${base}/actions/stop`,
    redrive: `${base}/actions/redrive`,
    css: `${base}/assets/console.css`,
    js: `${base}/assets/console.js`,
  };
}

export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">`;
}

export function layout(ctx: PageContext, title: string, body: HtmlPart, crumbs?: HtmlPart): string {
  const l = links(ctx.base);
  const who = ctx.user
    ? html`<span class="who">Signed in as <span class="mono" data-user>${ctx.user}</span></span>
        <form method="post" action="${l.logout}">${csrfField(ctx)}<button type="submit" data-sign-out>Sign out</button></form>`
    : ctx.requireAuth
      ? ''
      : html`<span class="who" title="Listening on loopback without --require-auth: the console needs no sign-in.">Open console (loopback)</span>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Stepwise</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${l.css}">
<script src="${l.js}" defer></script>
</head>
<body>
<header class="top"><a class="brand" href="${l.home}">Step<span>wise</span></a><nav><a href="${l.home}">State machines</a></nav><span class="spacer"></span>${who}</header>
<main>${crumbs ? html`<div class="crumbs">${crumbs}</div>` : ''}
${body}
</main>
</body>
</html>`.value;
}

/** A page that says what went wrong (status pages: not found, refused, invalid). */
export function messagePage(ctx: PageContext, title: string, message: string): string {
  return layout(ctx, title, html`<h1>${title}</h1><div class="alert error" data-error-message><pre>${message}</pre></div><p><a href="${links(ctx.base).home}">Back to the state machines</a></p>`);
}
