import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ParameterDeclaration,
  ParameterState,
  ParameterValue,
} from '../../features/sqlParameters/sqlParameters';
import { loadParameters, saveParameters } from './sqlStorage';

/** How long typing in a text or number control waits before the query runs again. */
const TYPING_DELAY_MS = 400;

/**
 * The SQL console's parameters: their declarations, the values the controls show, and the
 * values the query is run with (`bound`). A change made by typing reaches `bound` once the
 * typing pauses; a picked date or chip, an added or removed parameter, at once. Everything is
 * saved as it changes, so a reload keeps it.
 */
export function useSqlParameters() {
  const [state, setState] = useState<ParameterState>(loadParameters);
  const [bound, setBound] = useState(state.values);
  const latest = useRef(state);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const commit = useCallback((next: ParameterState, delay: number) => {
    latest.current = next;
    setState(next);
    saveParameters(next);
    clearTimeout(timer.current);
    if (delay === 0) setBound(next.values);
    else timer.current = setTimeout(() => setBound(latest.current.values), delay);
  }, []);

  /** Adds declarations (replacing any of the same name), each starting at its default. */
  const add = useCallback(
    (...declarations: ParameterDeclaration[]) => {
      const names = new Set(declarations.map((d) => d.name));
      const { declarations: before, values } = latest.current;
      commit(
        {
          declarations: [...before.filter((d) => !names.has(d.name)), ...declarations],
          values: {
            ...values,
            ...Object.fromEntries(declarations.map((d) => [d.name, d.default])),
          },
        },
        0,
      );
    },
    [commit],
  );

  const remove = useCallback(
    (name: string) => {
      const { declarations, values } = latest.current;
      const rest = Object.fromEntries(Object.entries(values).filter(([key]) => key !== name));
      commit({ declarations: declarations.filter((d) => d.name !== name), values: rest }, 0);
    },
    [commit],
  );

  const change = useCallback(
    (name: string, value: ParameterValue, immediate: boolean) => {
      const { declarations, values } = latest.current;
      commit(
        { declarations, values: { ...values, [name]: value } },
        immediate ? 0 : TYPING_DELAY_MS,
      );
    },
    [commit],
  );

  return { declarations: state.declarations, values: state.values, bound, add, remove, change };
}
