import { describe, expect, it } from 'vitest';
import {
  compileParameters,
  defaultValue,
  isDate,
  nameProblem,
  parseParameterState,
  placeholders,
  positionAt,
  referencedNames,
  sourcePositions,
  type ParameterDeclaration,
} from '../../../src/features/sqlParameters/sqlParameters';

const revenue: ParameterDeclaration = {
  name: 'revenue',
  type: 'number-range',
  default: { from: 1000, to: 5000 },
};
const types: ParameterDeclaration = {
  name: 'types',
  type: 'text-multiple',
  default: ['Supermarket'],
};
const opened: ParameterDeclaration = {
  name: 'opened',
  type: 'date',
  default: { from: '2020-01-01', to: '2020-12-31' },
};
const city: ParameterDeclaration = { name: 'city', type: 'text', default: 'Boston' };
const minSize: ParameterDeclaration = { name: 'min_size', type: 'number', default: 100 };
const all = [revenue, types, opened, city, minSize];

const ok = (result: ReturnType<typeof compileParameters>) => {
  if (!result.ok) throw new Error(result.message);
  return result;
};
const failure = (result: ReturnType<typeof compileParameters>) => {
  if (result.ok) throw new Error(`Compiled: ${result.sql}`);
  return result;
};

describe('compileParameters', () => {
  it('replaces each placeholder with ? and binds the values in placeholder order', () => {
    const sql =
      'SELECT * FROM retail_stores WHERE revenue BETWEEN {{revenue_from}} AND {{revenue_to}}\n' +
      'AND list_contains({{types}}, store_type) AND opened_at BETWEEN {{opened_from}} AND {{opened_to}}\n' +
      'AND city = {{city}} AND size_m2 >= {{min_size}} AND revenue > {{revenue_from}}';
    const result = ok(compileParameters(sql, all, { types: ['Drugstore', 'Supermarket'] }));
    expect(result.sql).toBe(
      'SELECT * FROM retail_stores WHERE revenue BETWEEN ? AND ?\n' +
        'AND list_contains(?, store_type) AND opened_at BETWEEN ? AND ?\n' +
        'AND city = ? AND size_m2 >= ? AND revenue > ?',
    );
    expect(result.queryParameters).toEqual([
      1000,
      5000,
      ['Drugstore', 'Supermarket'],
      '2020-01-01',
      '2020-12-31',
      'Boston',
      100,
      1000,
    ]);
  });

  it('uses the values given over the defaults, and accepts spaces inside the braces', () => {
    const result = ok(
      compileParameters('SELECT {{ city }}, {{min_size}}', all, { city: "O'Hare", min_size: 7 }),
    );
    expect(result).toMatchObject({ sql: 'SELECT ?, ?', queryParameters: ["O'Hare", 7] });
  });

  it('never writes a value into the SQL', () => {
    const evil = "x'; DROP TABLE t; --";
    const result = ok(compileParameters('SELECT {{city}}', all, { city: evil }));
    expect(result.sql).toBe('SELECT ?');
    expect(result.queryParameters).toEqual([evil]);
  });

  it('leaves SQL without placeholders as it is, with no parameters', () => {
    const sql = 'SELECT \'{{x}}\', "{{y}}" FROM t -- {{z}}\n/* {{w}} */';
    expect(compileParameters(sql, [])).toEqual({
      ok: true,
      sql,
      queryParameters: [],
      replaced: [],
    });
  });

  it.each([
    ['a string literal', "SELECT '{{city}}' AS x, {{city}}", "SELECT '{{city}}' AS x, ?"],
    [
      "a literal with '' escapes",
      "SELECT 'it''s {{city}}', {{city}}",
      "SELECT 'it''s {{city}}', ?",
    ],
    [
      'a literal ending in an escaped quote',
      "SELECT 'a''', {{city}}, '{{city}}'",
      "SELECT 'a''', ?, '{{city}}'",
    ],
    [
      'a quoted identifier',
      'SELECT "{{city}}", "a""{{city}}" , {{city}}',
      'SELECT "{{city}}", "a""{{city}}" , ?',
    ],
    ['a line comment', 'SELECT {{city}} -- and {{nope}}\n, 1', 'SELECT ? -- and {{nope}}\n, 1'],
    ['a comment at the end', 'SELECT {{city}} -- {{nope}}', 'SELECT ? -- {{nope}}'],
    [
      'a block comment over lines',
      'SELECT /* {{nope}}\n {{nope}} */ {{city}}',
      'SELECT /* {{nope}}\n {{nope}} */ ?',
    ],
    [
      'nested block comments',
      'SELECT /* a /* {{x}} */ {{y}} */ {{city}}',
      'SELECT /* a /* {{x}} */ {{y}} */ ?',
    ],
    [
      'a dollar-quoted string',
      'SELECT $${{x}}$$, $t${{y}} $$ $t$, {{city}}',
      'SELECT $${{x}}$$, $t${{y}} $$ $t$, ?',
    ],
    ['a double quote inside a literal', `SELECT '"', {{city}}, '"'`, `SELECT '"', ?, '"'`],
    ['a single quote inside a quoted name', `SELECT "'", {{city}}, "'"`, `SELECT "'", ?, "'"`],
    ['-- inside a literal', "SELECT '--', {{city}}", "SELECT '--', ?"],
    ['/* inside a literal', "SELECT '/*', {{city}}, '*/'", "SELECT '/*', ?, '*/'"],
    ['a minus sign and a division', 'SELECT 4 - {{min_size}} / 2', 'SELECT 4 - ? / 2'],
  ])('skips placeholders in %s', (_what, sql, expected) => {
    expect(ok(compileParameters(sql, all)).sql).toBe(expected);
  });

  it('does not read an unterminated literal or comment (the database reports it)', () => {
    expect(ok(compileParameters("SELECT {{city}}, '{{nope}}", all)).sql).toBe(
      "SELECT ?, '{{nope}}",
    );
    expect(ok(compileParameters('SELECT {{city}} /* {{nope}}', all)).sql).toBe(
      'SELECT ? /* {{nope}}',
    );
  });

  it('leaves braces that are not a placeholder alone (DuckDB struct literals)', () => {
    const sql = "SELECT {'a': {'b': 1}}, {{city}}, {{ 1x }}";
    expect(ok(compileParameters(sql, all)).sql).toBe("SELECT {'a': {'b': 1}}, ?, {{ 1x }}");
  });

  it('names an unknown placeholder with its line and column', () => {
    const result = failure(compileParameters('SELECT 1\nFROM t\nWHERE a = {{nope}}', all));
    expect(result.position).toEqual({ line: 3, column: 11 });
    expect(result.message).toBe(
      'Unknown parameter {{nope}} (line 3, column 11). Add it under Parameters, or remove it.',
    );
  });

  it('says how to write a range used as one value', () => {
    const result = failure(compileParameters('SELECT {{revenue}}', all));
    expect(result.message).toContain(
      'revenue is a range: write {{revenue_from}} and {{revenue_to}}',
    );
    expect(failure(compileParameters('SELECT {{city_from}}', all)).message).toMatch(
      /^Unknown parameter \{\{city_from\}\}/,
    );
  });

  it('is case-sensitive: names are lower-case', () => {
    expect(failure(compileParameters('SELECT {{City}}', all)).message).toMatch(
      /^Unknown parameter \{\{City\}\} \(line 1, column 8\)/,
    );
  });

  it('reports a missing value', () => {
    const result = failure(compileParameters('SELECT\n  {{city}}', all, { city: null }));
    expect(result.message).toBe('The parameter city has no value ({{city}}, line 2, column 3).');
    expect(result.position).toEqual({ line: 2, column: 3 });
  });

  it.each([
    ['number', { min_size: Number.NaN }, 'SELECT {{min_size}}', 'min_size needs a number'],
    ['number', { min_size: '7' }, 'SELECT {{min_size}}', 'min_size needs a number'],
    ['text', { city: 3 }, 'SELECT {{city}}', 'city needs a text'],
    ['text-multiple', { types: 'Drugstore' }, 'SELECT {{types}}', 'types needs a list of texts'],
    ['text-multiple', { types: [1] }, 'SELECT {{types}}', 'types needs a list of texts'],
    [
      'date',
      { opened: { from: '2020-02-30', to: '2020-03-01' } },
      'SELECT {{opened_to}}',
      'opened needs a start date',
    ],
    [
      'date',
      { opened: { from: '2020-02-01', to: '' } },
      'SELECT {{opened_to}}',
      'opened needs an end date',
    ],
    ['date', { opened: '2020-01-01' }, 'SELECT {{opened_from}}', 'opened needs a date range'],
    [
      'number-range',
      { revenue: { from: 1, to: null } },
      'SELECT {{revenue_from}}',
      'revenue needs a number to end',
    ],
  ])('reports a wrong %s value', (_type, values, sql, message) => {
    expect(failure(compileParameters(sql, all, values)).message).toContain(message);
  });

  it('binds an empty list as an empty list', () => {
    expect(ok(compileParameters('SELECT {{types}}', all, { types: [] })).queryParameters).toEqual([
      [],
    ]);
  });

  it('refuses positional parameters written by hand, which the bound values would not match', () => {
    const mark = failure(compileParameters('SELECT {{city}}, ?', all));
    expect(mark.message).toMatch(/positional parameter \? \(line 1, column 18\)/);
    expect(failure(compileParameters('SELECT\n$1', all)).position).toEqual({ line: 2, column: 1 });
    // In literals, comments, identifiers: not parameters.
    expect(ok(compileParameters('SELECT \'?\', "?" -- ?\n, a$1, $$?$$', all)).sql).toBe(
      'SELECT \'?\', "?" -- ?\n, a$1, $$?$$',
    );
  });
});

describe('sourcePositions', () => {
  const source = 'SELECT {{city}}, {{min_size}} + x\nFROM t WHERE {{ city }} = y AND zz';
  const compiled = ok(compileParameters(source, all));

  it('moves columns after placeholders back to the source text', () => {
    expect(compiled.sql).toBe('SELECT ?, ? + x\nFROM t WHERE ? = y AND zz');
    // "x" is at column 15 of the compiled SQL, 33 of the source.
    expect(sourcePositions('Binder Error: x (line 1, column 15)', source, compiled)).toBe(
      'Binder Error: x (line 1, column 33)',
    );
    // Before any placeholder: unchanged. On a ?: its placeholder. Line 2 after one: moved.
    expect(sourcePositions('line 1, column 3', source, compiled)).toBe('line 1, column 3');
    expect(sourcePositions('line 1, column 11', source, compiled)).toBe('line 1, column 18');
    expect(sourcePositions('Line 2, Column 24', source, compiled)).toBe('Line 2, Column 33');
  });

  it('leaves a message alone when nothing was replaced or the line is not there', () => {
    const plain = ok(compileParameters('SELECT 1', []));
    expect(sourcePositions('line 1, column 8', 'SELECT 1', plain)).toBe('line 1, column 8');
    expect(sourcePositions('line 9, column 1', source, compiled)).toBe('line 9, column 1');
  });

  it('never lets a placeholder span lines (lines stay the same)', () => {
    expect(ok(compileParameters('SELECT {{\ncity}}', all)).sql).toBe('SELECT {{\ncity}}');
  });
});

describe('declarations', () => {
  it('writes placeholders as Builder does', () => {
    expect(placeholders(city)).toEqual(['{{city}}']);
    expect(placeholders(types)).toEqual(['{{types}}']);
    expect(placeholders(opened)).toEqual(['{{opened_from}}', '{{opened_to}}']);
    expect(placeholders(revenue)).toEqual(['{{revenue_from}}', '{{revenue_to}}']);
  });

  it('checks names: identifiers, unique, no clash with a range’s placeholders', () => {
    expect(nameProblem('store_types2', 'text', all)).toBeNull();
    expect(nameProblem('', 'text', all)).toMatch(/name/);
    expect(nameProblem('2types', 'text', all)).toMatch(/lower-case/);
    expect(nameProblem('Types', 'text', all)).toMatch(/lower-case/);
    expect(nameProblem('a-b', 'text', all)).toMatch(/lower-case/);
    expect(nameProblem('city', 'number', all)).toBe('{{city}} is already a parameter.');
    expect(nameProblem('revenue_from', 'text', all)).toBe(
      '{{revenue_from}} is already a parameter.',
    );
    expect(nameProblem('city', 'date', [])).toBeNull();
    expect(nameProblem('x', 'date', [{ name: 'x_to', type: 'text' }])).toBe(
      '{{x_to}} is already a parameter.',
    );
  });

  it('has a valid default for each type', () => {
    expect(isDate(defaultValue('date').from)).toBe(true);
    expect(defaultValue('text-multiple')).toEqual([]);
    expect(defaultValue('number-range')).toEqual({ from: 0, to: 100 });
  });

  it('finds the names a query refers to, once each', () => {
    expect(referencedNames("SELECT {{a}}, {{b_from}}, '{{c}}', {{a}}")).toEqual(['a', 'b_from']);
  });

  it('gives 1-based positions', () => {
    expect(positionAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('parseParameterState', () => {
  it('keeps valid declarations and values', () => {
    const state = { declarations: all, values: { city: 'Austin', types: [] } };
    const parsed = parseParameterState(JSON.parse(JSON.stringify(state)));
    expect(parsed.declarations).toEqual(all);
    expect(parsed.values).toEqual({
      revenue: revenue.default,
      types: [],
      opened: opened.default,
      city: 'Austin',
      min_size: 100,
    });
  });

  it('drops what does not fit, and falls back to defaults', () => {
    const parsed = parseParameterState({
      declarations: [
        city,
        { ...city }, // duplicate
        { name: 'Bad', type: 'text', default: '' },
        { name: 'x', type: 'color', default: '' },
        { name: 'y', type: 'number', default: 'one' },
        null,
        { ...types, label: 'Store types' },
      ],
      values: { city: 42, types: ['a'] },
    });
    expect(parsed.declarations).toEqual([city, { ...types, label: 'Store types' }]);
    expect(parsed.values).toEqual({ city: 'Boston', types: ['a'] });
    expect(parseParameterState('nope')).toEqual({ declarations: [], values: {} });
    expect(parseParameterState({ declarations: 'x' })).toEqual({ declarations: [], values: {} });
  });
});
