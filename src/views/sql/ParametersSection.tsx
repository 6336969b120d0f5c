import { lazy, Suspense } from 'react';
import Typography from '@mui/material/Typography';
import { ErrorBoundary, SectionError } from '../../components/ErrorBoundary';
import { Section } from './Section';
import type { SqlParametersProps } from './SqlParameters';

// The parameters' controls (MUI Autocomplete, Chip and Popper among them) are a chunk of their
// own, asked for as soon as the SQL view renders: they do not weigh on the editor's route.
const SqlParameters = lazy(() => import('./SqlParameters'));

/** The "Parameters" part of the console: the controls once loaded, kept apart if they fail. */
export function ParametersSection(props: SqlParametersProps) {
  return (
    <Section title="Parameters" defaultOpen>
      <ErrorBoundary
        name="SQL parameters"
        fallback={(fallback) => (
          <SectionError {...fallback} title="The parameters could not be shown" />
        )}
      >
        <Suspense
          fallback={
            <Typography variant="body2" color="text.secondary" sx={{ px: 1 }}>
              Loading the parameters…
            </Typography>
          }
        >
          <SqlParameters {...props} />
        </Suspense>
      </ErrorBoundary>
    </Section>
  );
}
