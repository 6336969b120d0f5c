import { Component, type ErrorInfo, type ReactNode } from 'react';

/** After a new deploy, a tab running the old build asks for chunk files that are gone. */
export function isChunkLoadError(error: unknown): boolean {
  const message = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /dynamically imported module|Importing a module script failed|ChunkLoadError|Loading (CSS )?chunk .* failed|Unable to preload CSS/i.test(
    message,
  );
}

export interface FallbackProps {
  error: unknown;
  /** Renders the children again (a fresh mount). */
  reset: () => void;
}

interface Props {
  /** What to show instead of the children once they threw. */
  fallback: (props: FallbackProps) => ReactNode;
  /** Who failed, for the console. */
  name: string;
  children: ReactNode;
}

interface State {
  error: unknown;
  failed: boolean;
}

/**
 * Keeps a failure inside one part of the screen: the rest of the app (map, side panel, login,
 * the store) goes on working. React needs a class for this; it is the app's only one.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, failed: false };

  static getDerivedStateFromError(error: unknown): State {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(`[${this.props.name}] crashed:`, error, info.componentStack);
  }

  reset = () => this.setState({ error: null, failed: false });

  override render() {
    if (!this.state.failed) return this.props.children;
    return this.props.fallback({ error: this.state.error, reset: this.reset });
  }
}

/**
 * The fallback for a part of the screen, in the first screen's plain markup (no MUI): what
 * failed, and either a reload (a chunk of an older deploy is gone) or a way to try again.
 */
export function SectionError({
  title,
  error,
  reset,
  retryLabel = 'Try again',
}: FallbackProps & { title: string; retryLabel?: string }) {
  const stale = isChunkLoadError(error);
  return (
    <div className="notice notice--error" role="alert">
      <p className="notice__message">
        {stale ? `${title}: a newer version of the app is available.` : `${title}.`}
      </p>
      {!stale && error instanceof Error && <p className="notice__detail">{error.message}</p>}
      <div className="notice__actions">
        {stale ? (
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => window.location.reload()}
          >
            Reload the app
          </button>
        ) : (
          <button type="button" className="btn" onClick={reset}>
            {retryLabel}
          </button>
        )}
      </div>
    </div>
  );
}
