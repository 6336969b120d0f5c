import type { ParameterDeclaration } from '../../features/sqlParameters/sqlParameters';

/** The example the help text shows, and what "Try the example" sets up. */
export const EXAMPLE_SQL =
  'SELECT name, store_type, revenue, geom\nFROM demo.retail_stores\n' +
  'WHERE revenue BETWEEN {{revenue_from}} AND {{revenue_to}}\n' +
  '  AND list_contains({{types}}, store_type)';

export const EXAMPLE_PARAMETERS: ParameterDeclaration[] = [
  { name: 'revenue', type: 'number-range', default: { from: 1_000_000, to: 3_000_000 } },
  { name: 'types', type: 'text-multiple', default: ['Supermarket', 'Drugstore'] },
];
