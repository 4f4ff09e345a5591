/** A browser stand-in for requests to the console (in-process or over HTTP): a cookie jar, forms, the CSRF token of the last page. */

/** What answers the client: a Hono app (`app.request`, in-process) or a server (overHttp). */
export interface Requester {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

/** A listening server as a Requester: redirects are answers, as in-process. */
export function overHttp(origin: string): Requester {
  return { request: (path, init) => fetch(`${origin}${path}`, { ...init, redirect: 'manual' }) };
}

export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last HTML page read. */
  csrf = '';

  constructor(private readonly app: Requester) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
    const res = await this.app.request(path, { headers: { ...this.cookieHeader(), ...headers } });
    return this.read(res);
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
    const res = await this.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.cookieHeader(), ...headers },
      body: new URLSearchParams(form).toString(),
    });
    return this.read(res);
  }

  /** Sign in through the form, as a person would. */
  async signIn(key: { accessKeyId: string; secretAccessKey: string }): Promise<{ status: number; headers: Headers; text: string }> {
    await this.get('/console/login');
    return this.post('/console/login', { _csrf: this.csrf, next: '/console/', ...key });
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  private async read(res: Response): Promise<{ status: number; headers: Headers; text: string }> {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, headers: res.headers, text };
  }
}

export const executionPath = (arn: string) => `/console/executions/${encodeURIComponent(arn)}`;
