/**
 * DynamoDB's expression languages, on the ProductCatalog item of the Amazon DynamoDB Developer
 * Guide ("Using expressions in DynamoDB") with its examples, and AWS's error texts as recorded
 * from the real service.
 */
import { describe, expect, it } from 'vitest';
import { applyUpdate } from '../../../src/integrations/dynamodb/expressions/apply-update.js';
import { compileExpressions, type ExpressionMember, type ExpressionRequest } from '../../../src/integrations/dynamodb/expressions/compile.js';
import { evaluateCondition, project } from '../../../src/integrations/dynamodb/expressions/evaluate.js';
import { keyRangeOf } from '../../../src/integrations/dynamodb/expressions/key-condition.js';
import type { AttributeMap } from '../../../src/integrations/dynamodb/values.js';

const product = (): AttributeMap => ({
  Id: { N: '123' },
  Title: { S: 'Bicycle 123' },
  Description: { S: '123 description' },
  BicycleType: { S: 'Hybrid' },
  Brand: { S: 'Brand-Company C' },
  Price: { N: '500' },
  Color: { SS: ['Red', 'Black'] },
  ProductCategory: { S: 'Bicycle' },
  InStock: { BOOL: true },
  QuantityOnHand: { NULL: true },
  RelatedItems: { L: [{ N: '341' }, { N: '472' }, { N: '649' }] },
  Pictures: { M: { FrontView: { S: 'http://example.com/products/123_front.jpg' }, RearView: { S: 'http://example.com/products/123_rear.jpg' } } },
  ProductReviews: { M: { FiveStar: { L: [{ S: 'Excellent! Buy it!' }, { S: 'Do yourself a favor and buy this.' }] }, OneStar: { L: [{ S: 'Terrible product! Do not buy this.' }] } } },
  'Safety.Warning': { S: 'Always wear a helmet' },
});

const ALL: ExpressionMember[] = ['UpdateExpression', 'ConditionExpression', 'KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'];

function errorOf(req: ExpressionRequest, members: ExpressionMember[] = ALL): string {
  try {
    compileExpressions(req, members);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the expressions to be refused');
}

describe('ConditionExpression evaluates as DynamoDB does', () => {
  const cases: [string, ExpressionRequest, boolean][] = [
    ['attribute_not_exists on a present attribute', { ConditionExpression: 'attribute_not_exists(Price)' }, false],
    ['attribute_exists on a nested map key', { ConditionExpression: 'attribute_exists(ProductReviews.OneStar)' }, true],
    ['attribute_type of a string set', { ConditionExpression: 'attribute_type(Color, :v_sub)', ExpressionAttributeValues: { ':v_sub': { S: 'SS' } } }, true],
    ['begins_with on a nested string', { ConditionExpression: 'begins_with(Pictures.FrontView, :v_sub)', ExpressionAttributeValues: { ':v_sub': { S: 'http://' } } }, true],
    ['contains on a string set', { ConditionExpression: 'contains(Color, :v_sub)', ExpressionAttributeValues: { ':v_sub': { S: 'Red' } } }, true],
    ['size of a list compared', { ConditionExpression: 'size(RelatedItems) > :v', ExpressionAttributeValues: { ':v': { N: '2' } } }, true],
    ['BETWEEN numbers', { ConditionExpression: 'Price BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':lo': { N: '500' }, ':hi': { N: '600' } } }, true],
    ['IN a list of values', { ConditionExpression: 'ProductCategory IN (:cat1, :cat2)', ExpressionAttributeValues: { ':cat1': { S: 'Sporting Goods' }, ':cat2': { S: 'Gardening Supplies' } } }, false],
    ['a name placeholder for a dotted attribute name', { ConditionExpression: '#sw = :v', ExpressionAttributeNames: { '#sw': 'Safety.Warning' }, ExpressionAttributeValues: { ':v': { S: 'Always wear a helmet' } } }, true],
    ['numbers compare by value, not text', { ConditionExpression: 'Price = :p', ExpressionAttributeValues: { ':p': { N: '5E2' } } }, true],
    ['<> is true for a missing attribute', { ConditionExpression: 'Gone <> :p', ExpressionAttributeValues: { ':p': { N: '1' } } }, true],
    ['a comparison with a missing attribute is false', { ConditionExpression: 'Gone < :p', ExpressionAttributeValues: { ':p': { N: '1' } } }, false],
    ['types do not compare across', { ConditionExpression: 'Price < :p', ExpressionAttributeValues: { ':p': { S: '9' } } }, false],
    ['list elements by index', { ConditionExpression: 'RelatedItems[1] = :v', ExpressionAttributeValues: { ':v': { N: '472' } } }, true],
    [
      'AND binds tighter than OR; NOT and parentheses',
      { ConditionExpression: 'NOT (Price < :lo) AND (InStock = :t OR Brand = :b) AND NOT begins_with(Title, :x)', ExpressionAttributeValues: { ':lo': { N: '100' }, ':t': { BOOL: false }, ':b': { S: 'Brand-Company C' }, ':x': { S: 'Car' } } },
      true,
    ],
    ['a parenthesised operand', { ConditionExpression: '(Price) >= :p', ExpressionAttributeValues: { ':p': { N: '500' } } }, true],
    ['contains on a list', { ConditionExpression: 'contains(RelatedItems, :v)', ExpressionAttributeValues: { ':v': { N: '649' } } }, true],
    ['keywords are case-insensitive', { ConditionExpression: 'Price between :lo and :hi or not InStock = :t', ExpressionAttributeValues: { ':lo': { N: '1' }, ':hi': { N: '2' }, ':t': { BOOL: true } } }, false],
  ];
  it.each(cases)('%s', (_name, req, expected) => {
    const { condition } = compileExpressions(req, ['ConditionExpression']);
    expect(evaluateCondition(product(), condition!)).toBe(expected);
  });
});

describe('UpdateExpression applies as DynamoDB does', () => {
  const cases: [string, ExpressionRequest, (item: AttributeMap) => void][] = [
    ['SET arithmetic', { UpdateExpression: 'SET Price = Price - :p', ExpressionAttributeValues: { ':p': { N: '15' } } }, (i) => expect(i['Price']).toEqual({ N: '485' })],
    [
      'SET list_append on a nested list',
      { UpdateExpression: 'SET #pr.FiveStar = list_append(#pr.FiveStar, :r)', ExpressionAttributeNames: { '#pr': 'ProductReviews' }, ExpressionAttributeValues: { ':r': { L: [{ S: 'Great!' }] } } },
      (i) => expect(i['ProductReviews']?.M?.['FiveStar']?.L).toHaveLength(3),
    ],
    ['SET if_not_exists keeps a present value', { UpdateExpression: 'SET Price = if_not_exists(Price, :p)', ExpressionAttributeValues: { ':p': { N: '100' } } }, (i) => expect(i['Price']).toEqual({ N: '500' })],
    ['SET if_not_exists fills a missing one', { UpdateExpression: 'SET Stock = if_not_exists(Stock, :p)', ExpressionAttributeValues: { ':p': { N: '100' } } }, (i) => expect(i['Stock']).toEqual({ N: '100' })],
    ['REMOVE attributes', { UpdateExpression: 'REMOVE Brand, InStock, QuantityOnHand' }, (i) => expect(['Brand', 'InStock', 'QuantityOnHand'].some((k) => k in i)).toBe(false)],
    ['REMOVE list elements by their original indexes', { UpdateExpression: 'REMOVE RelatedItems[1], RelatedItems[2]' }, (i) => expect(i['RelatedItems']).toEqual({ L: [{ N: '341' }] })],
    ['ADD to a number', { UpdateExpression: 'ADD Price :q', ExpressionAttributeValues: { ':q': { N: '-0.5' } } }, (i) => expect(i['Price']).toEqual({ N: '499.5' })],
    ['ADD to a set', { UpdateExpression: 'ADD Color :c', ExpressionAttributeValues: { ':c': { SS: ['Orange', 'Red'] } } }, (i) => expect(i['Color']).toEqual({ SS: ['Red', 'Black', 'Orange'] })],
    ['DELETE from a set', { UpdateExpression: 'DELETE Color :p', ExpressionAttributeValues: { ':p': { SS: ['Red'] } } }, (i) => expect(i['Color']).toEqual({ SS: ['Black'] })],
    ['DELETE the last element removes the set', { UpdateExpression: 'DELETE Color :p', ExpressionAttributeValues: { ':p': { SS: ['Red', 'Black'] } } }, (i) => expect('Color' in i).toBe(false)],
    ['SET past the end of a list appends', { UpdateExpression: 'SET RelatedItems[10] = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, (i) => expect(i['RelatedItems']?.L).toHaveLength(4)],
    [
      'operands read the item before the update',
      { UpdateExpression: 'SET Price = :p, OriginalPrice = Price', ExpressionAttributeValues: { ':p': { N: '1' } } },
      (i) => expect([i['Price'], i['OriginalPrice']]).toEqual([{ N: '1' }, { N: '500' }]),
    ],
    ['clauses in any order, keywords any case', { UpdateExpression: 'remove Brand set Title = :t add Price :n', ExpressionAttributeValues: { ':t': { S: 'x' }, ':n': { N: '1' } } }, (i) => expect(i['Price']).toEqual({ N: '501' })],
  ];
  it.each(cases)('%s', (_name, req, check) => {
    const { update } = compileExpressions(req, ['UpdateExpression']);
    check(applyUpdate(product(), update!));
  });

  it.each([
    ['arithmetic on a string', 'SET Title = Title + :n', 'An operand in the update expression has an incorrect data type'],
    ['a missing operand', 'SET Title = Nope', 'The provided expression refers to an attribute that does not exist in the item'],
    ['a missing parent map', 'SET Nope.Deeper = :n', 'The document path provided in the update expression is invalid for update'],
    ['ADD a number to a set', 'ADD Color :n', 'An operand in the update expression has an incorrect data type'],
  ])('refuses %s at evaluation', (_name, expression, message) => {
    const { update } = compileExpressions({ UpdateExpression: expression, ...(expression.includes(':n') ? { ExpressionAttributeValues: { ':n': { N: '1' } } } : {}) }, ['UpdateExpression']);
    expect(() => applyUpdate(product(), update!)).toThrow(message);
  });
});

describe('ProjectionExpression', () => {
  it('picks top-level, list and nested attributes; picked list elements close up', () => {
    const { projection } = compileExpressions({ ProjectionExpression: 'Description, RelatedItems[0], RelatedItems[2], ProductReviews.FiveStar, Gone' }, ['ProjectionExpression']);
    expect(project(product(), projection!)).toEqual({
      Description: { S: '123 description' },
      RelatedItems: { L: [{ N: '341' }, { N: '649' }] },
      ProductReviews: { M: { FiveStar: product()['ProductReviews']?.M?.['FiveStar'] } },
    });
  });
});

describe("AWS's expression errors, word for word", () => {
  const cases: [string, ExpressionRequest, string][] = [
    ['a stray colon', { UpdateExpression: 'ADD hits : incr', ExpressionAttributeValues: { ':incr': { N: '1' } } }, 'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"'],
    ['not a clause keyword', { UpdateExpression: 'INVALID SYNTAX HERE', ExpressionAttributeValues: { ':v': { S: 'val' } } }, 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'],
    ['a character no token starts with', { ProjectionExpression: '!!! INVALID !!!' }, 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'],
    ['the end of the expression', { ConditionExpression: 'a = ' }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "'],
    ['an empty expression', { UpdateExpression: '' }, 'Invalid UpdateExpression: The expression can not be empty;'],
    ['an empty key condition', { KeyConditionExpression: '', ExpressionAttributeValues: { ':v': { S: 'val' } } }, 'Invalid KeyConditionExpression: The expression can not be empty;'],
    ['redundant parentheses', { ConditionExpression: '((attribute_not_exists(pk)))' }, 'Invalid ConditionExpression: The expression has redundant parentheses;'],
    [
      'a function of one path twice',
      { ConditionExpression: 'contains(#a, #a)', ExpressionAttributeNames: { '#a': 'data' } },
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [data]',
    ],
    ['an undefined value', { UpdateExpression: 'SET attr1 = :v' }, 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
    [
      'an undefined name',
      { KeyConditionExpression: 'pk = :pk', FilterExpression: '#missing = :fv', ExpressionAttributeValues: { ':pk': { S: 'val' }, ':fv': { S: 'x' } } },
      'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #missing',
    ],
    ['an unused name', { UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': { S: 'val' } }, ExpressionAttributeNames: { '#unused': 'someattr' } }, 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}'],
    ['an unused value', { UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': { S: 'val' }, ':unused': { S: 'extra' } } }, 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}'],
    ['a reserved word', { ConditionExpression: 'Comment = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Comment'],
    ['an unknown function', { ConditionExpression: 'exists(a)' }, 'Invalid ConditionExpression: Invalid function name; function: exists'],
    ['size as a condition', { ConditionExpression: 'size(a)' }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size'],
    ['the same path twice in an update', { UpdateExpression: 'SET f = :v REMOVE f', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [f], path two: [f]'],
    ['a clause twice', { UpdateExpression: 'SET a = :v SET b = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'],
    ['ADD with a string', { UpdateExpression: 'ADD a :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING'],
    [
      'BETWEEN bounds in the wrong order',
      { ConditionExpression: 'a BETWEEN :hi AND :lo', ExpressionAttributeValues: { ':lo': { N: '1' }, ':hi': { N: '3' } } },
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:3}, upper bound operand: AttributeValue: {N:1}',
    ],
    ['names without an expression', { ExpressionAttributeNames: { '#a': 'a' } }, 'ExpressionAttributeNames can only be specified when using expressions'],
    ['a malformed value key', { ConditionExpression: 'a = :v', ExpressionAttributeValues: { v: { S: 'x' } } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"'],
  ];
  it.each(cases)('%s', (_name, req, message) => {
    expect(errorOf(req)).toBe(message);
  });

  it('values without a value expression', () => {
    expect(errorOf({ ExpressionAttributeValues: { ':v': { S: 'unused' } } }, ['ConditionExpression'])).toBe('ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null');
  });
});

describe('KeyConditionExpression against the key schema', () => {
  const keys = { hash: { name: 'pk', type: 'S' as const }, range: { name: 'sk', type: 'N' as const } };
  const range = (expr: string, values: AttributeMap) => keyRangeOf(compileExpressions({ KeyConditionExpression: expr, ExpressionAttributeValues: values }, ['KeyConditionExpression']).keyCondition!, keys);

  it('accepts equality on the partition key and one sort key condition, either way round', () => {
    expect(range('pk = :p AND sk BETWEEN :a AND :b', { ':p': { S: 'x' }, ':a': { N: '1' }, ':b': { N: '2' } })).toEqual({ hash: { S: 'x' }, range: { op: 'BETWEEN', values: [{ N: '1' }, { N: '2' }] } });
    expect(range(':p = pk AND :a < sk', { ':p': { S: 'x' }, ':a': { N: '1' } }).range).toEqual({ op: '>', values: [{ N: '1' }] });
  });

  it.each([
    ['sk = :a', { ':a': { N: '1' } }, 'Query condition missed key schema element: pk'],
    ['pk = :p OR sk = :a', { ':p': { S: 'x' }, ':a': { N: '1' } }, 'Invalid operator used in KeyConditionExpression: OR'],
    ['pk = :p AND attribute_exists(sk)', { ':p': { S: 'x' } }, 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['pk < :p', { ':p': { S: 'x' } }, 'Query key condition not supported'],
    ['pk = :a', { ':a': { N: '1' } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['pk = :p AND pk = :p', { ':p': { S: 'x' } }, 'KeyConditionExpressions must only contain one condition per key'],
  ])('%s is refused', (expr, values, message) => {
    expect(() => range(expr, values)).toThrow(message);
  });
});
