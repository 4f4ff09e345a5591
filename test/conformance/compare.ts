/**
 * Compares an execution's outcome with one recorded against AWS, by the rules of the
 * conformance folder: masked values (placeholders, any `<token>`) match any text,
 * `skipVerifyPaths` exclude fields, and Lambda error causes compare on errorMessage/errorType.
 */
export interface RecordedCase {
  id: string;
  area: string;
  definition: Record<string, unknown>;
  input: unknown;
  stateMachineType: 'STANDARD' | 'EXPRESS';
  expected: { status: string; output?: unknown; error?: string; cause?: string; causeIsJson?: boolean };
  needs: string[];
  placeholders?: string[];
  skipVerifyPaths?: string[];
  historySketch?: string[];
  params?: Record<string, { service?: string; lambdaHandler?: string; fixtureName?: string; origin?: string }>;
  setup?: string[];
  inputPlaceholders?: string[];
  otherStateMachines?: { type: string; definition: Record<string, unknown> }[];
}

export interface Outcome {
  status: string;
  output?: string;
  error?: string;
  cause?: string;
}

const ANGLE_TOKEN = /<[A-Za-z][A-Za-z0-9_\-.]*(?::\d+)?>/;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function tokenRegex(tokens: string[]): RegExp {
  const parts = tokens.map((t) => escapeRe(t).replace(':N>', ':\\d+>'));
  parts.push(ANGLE_TOKEN.source);
  return new RegExp(parts.map((p) => `(?:${p})`).join('|'), 'g');
}

/** A recorded string with masked parts turns into a pattern where each mask matches anything. */
function textMatches(expected: string, actual: unknown, tokens: string[]): boolean {
  if (expected === actual) return true;
  const act = typeof actual === 'string' ? actual : JSON.stringify(actual);
  const re = tokenRegex(tokens);
  let pattern = '';
  let last = 0;
  let masked = false;
  for (let m = re.exec(expected); m; m = re.exec(expected)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    masked = true;
    pattern += escapeRe(expected.slice(last, m.index)) + '[\\s\\S]*?';
    last = m.index + m[0].length;
  }
  if (!masked) return false;
  return new RegExp(`^${pattern}${escapeRe(expected.slice(last))}$`).test(act);
}

function wholeToken(s: string, tokens: string[]): boolean {
  return new RegExp(`^(?:${tokenRegex(tokens).source})$`).test(s);
}

export function diffValues(exp: unknown, act: unknown, tokens: string[], ignored: Set<string>, path = '$', out: string[] = []): string[] {
  if (typeof exp === 'string') {
    const ok = typeof act === 'string' ? textMatches(exp, act, tokens) : wholeToken(exp, tokens);
    if (!ok) out.push(`${path}: expected ${JSON.stringify(exp)} got ${JSON.stringify(act)}`);
    return out;
  }
  if (Array.isArray(exp)) {
    if (!Array.isArray(act) || act.length !== exp.length) {
      out.push(`${path}: expected array[${exp.length}] got ${String(JSON.stringify(act)).slice(0, 80)}`);
      return out;
    }
    exp.forEach((x, i) => diffValues(x, act[i], tokens, ignored, `${path}[${i}]`, out));
    return out;
  }
  if (exp !== null && typeof exp === 'object') {
    if (act === null || typeof act !== 'object' || Array.isArray(act)) {
      out.push(`${path}: expected object got ${String(JSON.stringify(act)).slice(0, 80)}`);
      return out;
    }
    const e = exp as Record<string, unknown>;
    const a = act as Record<string, unknown>;
    const ek = Object.keys(e).filter((k) => !ignored.has(k));
    const ak = Object.keys(a).filter((k) => !ignored.has(k));
    for (const k of ek) {
      if (k in a) diffValues(e[k], a[k], tokens, ignored, `${path}.${k}`, out);
      else {
        const masked = ak.find((x) => !(x in e) && textMatches(k, x, tokens));
        if (masked === undefined) out.push(`${path}.${k}: missing`);
        else diffValues(e[k], a[masked], tokens, ignored, `${path}.${k}`, out);
      }
    }
    for (const k of ak) if (!(k in e) && !ek.some((x) => !(x in a) && textMatches(x, k, tokens))) out.push(`${path}.${k}: unexpected key`);
    return out;
  }
  const close = typeof exp === 'number' && typeof act === 'number' && Math.abs(exp - act) < 1e-9 * Math.max(1, Math.abs(exp));
  if (exp !== act && !close) out.push(`${path}: expected ${JSON.stringify(exp)} got ${JSON.stringify(act)}`);
  return out;
}

function parseLoose(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function isLambdaError(v: unknown): v is { errorMessage: unknown; errorType: unknown } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'errorMessage' in v && 'errorType' in v;
}

function skipRules(c: RecordedCase): { all: boolean; cause: boolean; error: boolean; output: boolean; ignored: Set<string> } {
  const r = { all: false, cause: false, error: false, output: false, ignored: new Set<string>() };
  for (const p of c.skipVerifyPaths ?? []) {
    if (p === '*') r.all = true;
    else if (/FailedEventDetails\.cause$/.test(p) || /^\$\.\.(cause|Cause)$/.test(p)) r.cause = true;
    else if (p === '$..error') r.error = true;
    else if (/SucceededEventDetails\.output$/.test(p)) r.output = true;
    if (/^\$\.\.[A-Za-z_][\w-]*$/.test(p)) r.ignored.add(p.slice(3));
  }
  return r;
}

export function compareOutcome(c: RecordedCase, actual: Outcome): string[] {
  const exp = c.expected;
  const tokens = c.placeholders ?? [];
  const skip = skipRules(c);
  const diffs: string[] = [];
  if (exp.status !== actual.status) {
    diffs.push(`status: expected ${exp.status} got ${actual.status}`);
    return diffs;
  }
  if (skip.all) return diffs;
  if ('output' in exp && !skip.output) diffValues(exp.output, parseLoose(actual.output), tokens, skip.ignored, '$output', diffs);
  if ('error' in exp && !skip.error) diffValues(exp.error, actual.error, tokens, skip.ignored, '$error', diffs);
  if ('cause' in exp && !skip.cause) {
    const expCause = exp.causeIsJson ? parseLoose(exp.cause) : exp.cause;
    const actCause = exp.causeIsJson || isLambdaError(parseLoose(exp.cause)) ? parseLoose(actual.cause) : actual.cause;
    if (isLambdaError(expCause) && isLambdaError(actCause)) {
      diffValues(expCause.errorMessage, actCause.errorMessage, tokens, new Set(), '$cause.errorMessage', diffs);
      diffValues(expCause.errorType, actCause.errorType, tokens, new Set(), '$cause.errorType', diffs);
    } else diffValues(expCause, actCause, tokens, skip.ignored, '$cause', diffs);
  }
  return diffs;
}

const OPENERS = new Set(['ParallelStateEntered', 'MapStateEntered']);
const CLOSERS = new Set(['ParallelStateExited', 'ParallelStateFailed', 'MapStateExited', 'MapStateFailed']);

/**
 * History sketches compare in order, except inside a Parallel or Map state, whose branch and
 * iteration events interleave differently from run to run: there they compare as a bag.
 */
export function canonicalSketch(sketch: string[]): string[] {
  const out: string[] = [];
  let depth = 0;
  let region: string[] = [];
  for (const e of sketch) {
    const type = e.split(':')[0] as string;
    if (depth > 0) {
      if (CLOSERS.has(type)) {
        depth--;
        if (depth === 0) {
          out.push(...region.sort(), e);
          region = [];
          continue;
        }
      } else if (OPENERS.has(type)) depth++;
      region.push(e);
      continue;
    }
    out.push(e);
    if (OPENERS.has(type)) depth = 1;
  }
  out.push(...region.sort());
  return out;
}
