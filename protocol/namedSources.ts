/**
 * CARTO's rule for a named source's name, shared by the emulator (which enforces it) and the
 * app (which explains it before asking): lowercase letters, digits, `-` and `_`; 3 to 51
 * characters; starting with a letter or digit and not ending in `-` or `_`.
 */
export const NAMED_SOURCE_NAME = /^[a-z0-9][a-z0-9_-]{1,49}[a-z0-9]$/;
