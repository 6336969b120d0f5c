/** The spellings of one name that generated code needs, all from the same words. */
export interface Names {
  /** `my-places`: routes, layer kinds, source ids. */
  kebab: string;
  /** `myPlaces`: folders, file names, factories. */
  camel: string;
  /** `MyPlaces`: components. */
  pascal: string;
  /** `MY_PLACES`: exported constants. */
  constant: string;
  /** `My places`: labels and titles, as people read them. */
  title: string;
}

/** A name the generator refuses, with a message that says what to type instead. */
export class GeneratorError extends Error {
  override name = 'GeneratorError';
}

const MAX_LENGTH = 40;

/** Words that cannot name a constant or a function in generated code. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with yield let static implements interface package private ' +
    'protected public await arguments eval undefined'
  ).split(' '),
);

/**
 * Splits `my-places`, `my_places`, `myPlaces` or `MyPlaces` into lower-case words. Digits stay
 * with the word before them (`h3Cells` and `h3-cells` are both `h3`, `cells`).
 */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * The spellings of a name given in kebab, snake, camel or Pascal case; a clear error for
 * anything else. `role` is what is being named (`view`, `source`, `layer`): a name that ends
 * with it would read twice in the generated code (`StoresViewView`).
 */
export function parseName(input: string, role: string): Names {
  const name = input.trim();
  const example = `e.g. \`my-places\`, \`myPlaces\` or \`MyPlaces\``;
  if (name === '') throw new GeneratorError(`The ${role} needs a name, ${example}.`);
  if (!/^[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*$/.test(name))
    throw new GeneratorError(
      `“${input}” is not a name the generator can use: start with a letter, then letters, digits, and single - or _ between words (${example}).`,
    );
  if (name.length > MAX_LENGTH)
    throw new GeneratorError(`“${input}” is too long: ${MAX_LENGTH} characters at most.`);
  const parts = words(name);
  if (parts.at(-1) === role && parts.length > 1)
    throw new GeneratorError(
      `“${input}” ends with “${role}”, which the generator adds itself: use “${parts.slice(0, -1).join('-')}”.`,
    );
  if (parts.length === 1 && parts[0] === role)
    throw new GeneratorError(`“${input}” says what it is, not which one: name the ${role}.`);
  const [first = '', ...rest] = parts;
  const camel = first + rest.map(capitalize).join('');
  if (RESERVED.has(camel))
    throw new GeneratorError(`“${input}” is a JavaScript reserved word: choose another name.`);
  return {
    kebab: parts.join('-'),
    camel,
    pascal: parts.map(capitalize).join(''),
    constant: parts.join('_').toUpperCase(),
    title: capitalize(parts.join(' ')),
  };
}
