import { describe, expect, it } from 'vitest';
import {
  cellText,
  describePosition,
  errorPosition,
  errorRange,
  geometrySummary,
  isGeometryColumn,
  pageQuery,
  countQuery,
  userLines,
  sqlIdentifier,
  sqlTableName,
} from '../../../src/views/sql/sqlText';
import { withQuery } from '../../../src/views/sql/sqlStorage';

describe('SQL console helpers', () => {
  it('reads the error position of the emulator ("line N, column M") and of PostgreSQL ("LINE N:")', () => {
    const emulator = errorPosition(
      'Parser Error: syntax error at or near "WHER" (line 3, column 1)',
    );
    expect(emulator).toEqual({ line: 3, column: 1 });
    expect(describePosition(emulator ?? { line: 0, column: 0 })).toBe('Line 3, column 1');
    const postgres = errorPosition(
      'ERROR: syntax error at or near "FORM"\nLINE 2: FORM t\n        ^',
    );
    expect(postgres).toEqual({ line: 2, column: null });
    expect(describePosition(postgres ?? { line: 0, column: 0 })).toBe('Line 2');
    expect(errorPosition('Table not found')).toBeNull();
  });

  it('marks the word at the position, the whole line without a column, clamped to the text', () => {
    const lines = ['SELECT a', 'FROM t', 'WHER x > 1'];
    expect(errorRange(lines, { line: 3, column: 1 })).toEqual({ from: 16, to: 20 });
    expect(errorRange(lines, { line: 2, column: null })).toEqual({ from: 9, to: 15 });
    expect(errorRange(lines, { line: 3, column: 7 })).toEqual({ from: 22, to: 23 });
    expect(errorRange(lines, { line: 9, column: 99 })).toEqual({ from: 26, to: 27 });
  });

  it('quotes names only when they need it', () => {
    expect(sqlIdentifier('population')).toBe('population');
    expect(sqlIdentifier('Population')).toBe('"Population"');
    expect(sqlIdentifier('store type')).toBe('"store type"');
    expect(sqlIdentifier('order')).toBe('"order"');
    expect(sqlIdentifier('say "hi"')).toBe('"say ""hi"""');
    expect(sqlTableName('demo', 'populated_places')).toBe('demo.populated_places');
    expect(sqlTableName('My Schema', 'user')).toBe('"My Schema"."user"');
  });

  it('shows geometries short, whether GeoJSON text, objects or WKT', () => {
    expect(geometrySummary('{"type":"Point","coordinates":[2.1734,41.3851]}')).toBe(
      'Point (2.17, 41.39)',
    );
    expect(
      geometrySummary({
        type: 'MultiPolygon',
        coordinates: [[[[0, 0]]], [[[1, 1]]]],
      }),
    ).toBe('MultiPolygon (2 parts)');
    expect(geometrySummary({ type: 'LineString', coordinates: [[0, 0]] })).toBe('LineString');
    expect(geometrySummary('POINT (-3.7 40.42)')).toBe('Point (-3.7, 40.42)');
    expect(geometrySummary('POLYGON ((0 0, 1 0, 0 1, 0 0))')).toBe('Polygon');
    expect(geometrySummary('0101000000')).toBe('GEOMETRY');
    expect(isGeometryColumn({ name: 'g', type: 'geometry' })).toBe(true);
    expect(
      isGeometryColumn({ name: 'geom', type: 'varchar' }, '{"type":"Point","coordinates":[0,0]}'),
    ).toBe(true);
    expect(isGeometryColumn({ name: 'geom', type: 'varchar' }, 'not a geometry')).toBe(false);
    expect(cellText(null, false)).toBe('NULL');
    expect(cellText({ a: 1 }, false)).toBe('{"a":1}');
    expect(cellText(12.5, false)).toBe('12.5');
  });

  it('pages and counts on the server, and maps error lines back to the text as written', () => {
    expect(pageQuery('SELECT a\nFROM t;  \n', 2)).toBe(
      'SELECT * FROM (\nSELECT a\nFROM t\n) AS sql_console\nLIMIT 50 OFFSET 100',
    );
    expect(countQuery('SELECT a FROM t -- all')).toBe(
      'SELECT COUNT(*) AS row_count FROM (\nSELECT a FROM t -- all\n) AS sql_console',
    );
    expect(userLines('syntax error at or near "WHER" (line 4, column 1)')).toBe(
      'syntax error at or near "WHER" (line 3, column 1)',
    );
    expect(userLines('ERROR: bad\nLINE 2: FORM t')).toBe('ERROR: bad\nLINE 1: FORM t');
  });

  it('keeps the last 20 distinct queries, newest first', () => {
    let history: string[] = [];
    for (let i = 0; i < 25; i++) history = withQuery(history, `SELECT ${i}`);
    history = withQuery(history, 'SELECT 10');
    expect(history).toHaveLength(20);
    expect(history.slice(0, 3)).toEqual(['SELECT 10', 'SELECT 24', 'SELECT 23']);
    expect(history.filter((q) => q === 'SELECT 10')).toHaveLength(1);
  });
});
