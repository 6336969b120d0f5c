import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ConfigProblem } from '../config/loadConfig';

/** Shown instead of the app when the configuration is wrong: what is wrong and how to fix it. */
export default function ConfigErrorScreen({ problems }: { problems: readonly ConfigProblem[] }) {
  return (
    <Box component="main" sx={{ maxWidth: 760, mx: 'auto', p: 4 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        The app is not configured correctly
      </Typography>
      <Typography variant="body1" sx={{ mb: 2 }}>
        Fix {problems.length === 1 ? 'this setting' : `these ${problems.length} settings`} in{' '}
        <code>.env</code> (see <code>.env.example</code>) or in{' '}
        <code>src/store/initialStateSlice.ts</code>, then reload.
      </Typography>
      <Box component="ul" aria-label="Configuration problems" sx={{ listStyle: 'none', p: 0 }}>
        {problems.map((problem, index) => (
          <Box component="li" key={`${problem.setting}-${index}`} sx={{ mb: 1.5 }}>
            <Alert severity="error">
              <AlertTitle>
                <code>{problem.setting}</code>
              </AlertTitle>
              {problem.message}
              <Typography variant="body2" sx={{ mt: 0.5 }}>
                How to fix: {problem.fix}
              </Typography>
            </Alert>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
