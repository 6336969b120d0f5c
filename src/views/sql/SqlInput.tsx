import { lazy, Suspense, useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import { EDITOR_LABEL, type SqlEditorProps } from './editorTypes';

// The editor (CodeMirror, its SQL language and completion) is a chunk of its own, asked for as
// soon as the SQL view renders.
const SqlEditor = lazy(() => import('./SqlEditor'));

const fallbackStyle = {
  width: '100%',
  boxSizing: 'border-box',
  minHeight: '9em',
  padding: '4px 8px',
  fontFamily: 'var(--mono)',
  fontSize: 13,
  lineHeight: 1.4,
  border: '1px solid var(--border)',
  background: 'var(--surface)',
  color: 'var(--text)',
  borderRadius: 4,
  resize: 'vertical',
} as const;

/**
 * A plain textarea with the same text, name, keys and insertion, shown until the editor has
 * loaded (or for as long as it cannot): typing is never lost, and if the textarea had the
 * focus the editor takes over its caret.
 */
function PlainEditor({
  value,
  onChange,
  onRun,
  onReady,
  onLeave,
}: SqlEditorProps & { onLeave: (caret: number | null) => void }) {
  const textarea = useRef<HTMLTextAreaElement | null>(null);
  useEffect(() => {
    onReady({
      insert: (text) => {
        const area = textarea.current;
        if (!area) return;
        const { selectionStart, selectionEnd, value: current } = area;
        onChange(current.slice(0, selectionStart) + text + current.slice(selectionEnd));
        area.focus();
        const at = selectionStart + text.length;
        requestAnimationFrame(() => area.setSelectionRange(at, at));
      },
      focus: () => textarea.current?.focus(),
    });
    return () => onReady(null);
  }, [onReady, onChange]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
    }
  };
  return (
    <textarea
      ref={(node) => {
        textarea.current = node;
        // Runs before the textarea leaves the page, while it still has the focus.
        return () => {
          onLeave(node && document.activeElement === node ? node.selectionStart : null);
          textarea.current = null;
        };
      }}
      aria-label={EDITOR_LABEL}
      spellCheck={false}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onKeyDown={onKeyDown}
      style={fallbackStyle}
    />
  );
}

/** The SQL editor: CodeMirror once loaded, a plain textarea until then. */
export function SqlInput(props: SqlEditorProps) {
  // Where the caret was when the textarea gave way to the editor, if it had the focus.
  const caret = useRef<number | null>(null);
  const onLeave = useCallback((at: number | null) => {
    caret.current = at;
  }, []);
  const takeCaret = useCallback(() => {
    const at = caret.current;
    caret.current = null;
    return at;
  }, []);
  return (
    <Suspense fallback={<PlainEditor {...props} onLeave={onLeave} />}>
      <SqlEditor {...props} takeCaret={takeCaret} />
    </Suspense>
  );
}
