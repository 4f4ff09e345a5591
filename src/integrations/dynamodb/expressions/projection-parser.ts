/** ProjectionExpression: document paths separated by commas, with AWS's errors. */
import { parsePath, pathText, Placeholders, Problems, type ParseContext, type Path } from './ast.js';
import { invalid, SyntaxFailure, TokenStream } from './tokens.js';

const ORDER = ['reserved', 'attrName', 'pathOverlap', 'pathConflict'];

export function parseProjection(source: string, placeholders: Placeholders): Path[] {
  if (source === '') throw invalid('ProjectionExpression', 'The expression can not be empty;');
  const ctx: ParseContext = { ts: new TokenStream(source), placeholders, problems: new Problems(), keywords: new Set() };
  const paths: Path[] = [];
  try {
    paths.push(parsePath(ctx));
    while (ctx.ts.isOp(',')) {
      ctx.ts.next();
      paths.push(parsePath(ctx));
    }
    if (!ctx.ts.atEnd()) throw ctx.ts.fail();
  } catch (err) {
    if (err instanceof SyntaxFailure) throw invalid('ProjectionExpression', err.message);
    throw err;
  }
  for (let j = 1; j < paths.length; j++) {
    for (let i = 0; i < j; i++) overlap(paths[i] as Path, paths[j] as Path, ctx.problems);
  }
  const problem = ctx.problems.first(ORDER);
  if (problem !== undefined) throw invalid('ProjectionExpression', problem);
  return paths;
}

function overlap(a: Path, b: Path, problems: Problems): void {
  for (let k = 0; k < a.length && k < b.length; k++) {
    if (typeof a[k] !== typeof b[k]) {
      problems.add('pathConflict', `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}`);
      return;
    }
    if (a[k] !== b[k]) return;
  }
  problems.add('pathOverlap', `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}`);
}
