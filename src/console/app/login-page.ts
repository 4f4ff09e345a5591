/** The sign-in page: an access key id and secret access key, checked against the server's credentials. */
import { CSRF_FIELD } from './auth.js';
import { html } from './html.js';
import { layout, links, type PageContext } from './layout.js';

export function loginPage(ctx: PageContext, next: string, error?: string): string {
  const l = links(ctx.base);
  const body = html`<div class="login panel">
<h2>Sign in to Stepwise</h2>
${error ? html`<div class="alert error" data-login-error>${error}</div>` : ''}
<form method="post" action="${l.login}" class="stack" data-login-form>
<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">
<input type="hidden" name="next" value="${next}">
<label for="access-key-id">Access key ID</label>
<input type="text" id="access-key-id" name="accessKeyId" autocomplete="username" required autofocus>
<label for="secret-access-key">Secret access key</label>
<input type="password" id="secret-access-key" name="secretAccessKey" autocomplete="current-password" required>
<div class="actions"><button type="submit" class="primary" data-sign-in>Sign in</button></div>
</form>
<p class="small muted">Use an access key this server accepts: <code>server.credentials</code> in stepwise.yaml, or STEPWISE_ACCESS_KEY_ID and STEPWISE_SECRET_ACCESS_KEY.</p>
</div>`;
  return layout(ctx, 'Sign in', body);
}
